import { Schema, type Connection, type Model } from 'mongoose';
import type { TenantId } from '@messngr/kit/core';
import { addOutboxIndex, aggregateSchemaFields, type AggregateFields } from '@messngr/kit/mongo';

export type AccountStatus = 'ACTIVE' | 'DISABLED';

export interface AccountDocument extends AggregateFields {
  tenantId: TenantId;
  displayName: string;
  handle: string;
  status: AccountStatus;
  roles: string[];
  createdAt: Date;
  updatedAt: Date;
}

const accountSchema = new Schema<AccountDocument>(
  {
    ...aggregateSchemaFields,
    tenantId: { type: String, required: true },
    displayName: { type: String, required: true },
    handle: { type: String, required: true },
    status: { type: String, required: true, enum: ['ACTIVE', 'DISABLED'] },
    roles: { type: [String], default: () => [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'accounts', versionKey: false },
);
accountSchema.index({ tenantId: 1, handle: 1 }, { unique: true });
addOutboxIndex(accountSchema);

export function accountModel(connection: Connection): Model<AccountDocument> {
  return connection.model<AccountDocument>('Account', accountSchema);
}
