import { Schema, type Connection, type Model } from 'mongoose';
import type { TenantId } from '@messngr/kit/core';
import { addOutboxIndex, aggregateSchemaFields, type AggregateFields } from '@messngr/kit/mongo';

/** Wrong codes for one identifier of a tenant (`_id` = tenant id and identifier digest), across its flows. */
export interface LoginLockoutDocument extends AggregateFields {
  tenantId: TenantId;
  failures: number;
  lockouts: number;
  lockedUntil: Date | null;
  updatedAt: Date;
}

const loginLockoutSchema = new Schema<LoginLockoutDocument>(
  {
    ...aggregateSchemaFields,
    tenantId: { type: String, required: true },
    failures: { type: Number, required: true },
    lockouts: { type: Number, required: true },
    lockedUntil: { type: Date, default: null },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'login_lockouts', versionKey: false },
);
addOutboxIndex(loginLockoutSchema);

export function loginLockoutModel(connection: Connection): Model<LoginLockoutDocument> {
  return connection.model<LoginLockoutDocument>('LoginLockout', loginLockoutSchema);
}
