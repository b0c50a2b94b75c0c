import { Schema, type Connection, type Model } from 'mongoose';
import type { TenantId } from '@messngr/kit/core';
import type { ReplicaFields } from '@messngr/kit/mongo';

/** What the device subgraph knows of an account, from the identity subgraph's events. */
export interface AccountReplicaDocument extends ReplicaFields {
  tenantId: TenantId;
}

/** A federation reference to an account, as resolvers receive it. */
export interface AccountReference {
  id: string;
  tenantId: string;
}

const accountReplicaSchema = new Schema<AccountReplicaDocument>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    sequence: { type: Number, required: true },
  },
  { collection: 'accounts', versionKey: false },
);

export function accountReplicaModel(connection: Connection): Model<AccountReplicaDocument> {
  return connection.model<AccountReplicaDocument>('AccountReplica', accountReplicaSchema);
}
