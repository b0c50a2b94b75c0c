import { Schema, type Connection, type Model } from 'mongoose';
import type { TenantId } from '@messngr/kit/core';
import { addOutboxIndex, aggregateSchemaFields, type AggregateFields } from '@messngr/kit/mongo';
import type { StoredIdentity } from '../domain/identity';
import type { RecoveryCodeSet } from '../domain/recovery-codes';

export type AccountStatus = 'ACTIVE' | 'DISABLED';

/**
 * An account with its identities in one document, so rules across identities ("at least
 * one verified identity remains") hold with a single guarded write. Each identity value is
 * also claimed in `identity_claims`, which makes it unique in the tenant.
 */
export interface AccountDocument extends AggregateFields {
  tenantId: TenantId;
  displayName: string;
  handle: string;
  preferredLocale: string | null;
  timeZone: string | null;
  status: AccountStatus;
  roles: string[];
  identities: StoredIdentity[];
  /** The current recovery codes' hashes (generateRecoveryCodes); absent until first generated. */
  recoveryCodes?: RecoveryCodeSet | null;
  createdAt: Date;
  updatedAt: Date;
}

const accountSchema = new Schema<AccountDocument>(
  {
    ...aggregateSchemaFields,
    tenantId: { type: String, required: true },
    displayName: { type: String, required: true },
    handle: { type: String, required: true },
    preferredLocale: { type: String, default: null },
    timeZone: { type: String, default: null },
    status: { type: String, required: true, enum: ['ACTIVE', 'DISABLED'] },
    roles: { type: [String], default: () => [] },
    identities: { type: [Object], default: () => [] },
    recoveryCodes: { type: Object, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'accounts', versionKey: false },
);
accountSchema.index({ tenantId: 1, handle: 1 }, { unique: true });
accountSchema.index({ tenantId: 1, displayName: 1 });
addOutboxIndex(accountSchema);

export function accountModel(connection: Connection): Model<AccountDocument> {
  return connection.model<AccountDocument>('Account', accountSchema);
}
