import { Schema, type Connection, type Model } from 'mongoose';
import type { TenantId } from '@messngr/kit/core';
import type { ReplicaFields } from '@messngr/kit/mongo';

/**
 * What the audit subgraph knows of an account, from the identity subgraph's events: the name
 * shown for it as an actor, and the language and time zone its own feed is written in.
 */
export interface AccountReplicaDocument extends ReplicaFields {
  tenantId: TenantId;
  displayName: string;
  preferredLocale: string | null;
  timeZone: string | null;
}

const accountReplicaSchema = new Schema<AccountReplicaDocument>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    sequence: { type: Number, required: true },
    displayName: { type: String, required: true },
    preferredLocale: { type: String, default: null },
    timeZone: { type: String, default: null },
  },
  { collection: 'accounts', versionKey: false },
);
accountReplicaSchema.index({ tenantId: 1, _id: 1 });

export function accountReplicaModel(connection: Connection): Model<AccountReplicaDocument> {
  return connection.model<AccountReplicaDocument>('AccountReplica', accountReplicaSchema);
}
