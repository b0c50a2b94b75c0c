import { Schema, type Connection, type Model } from 'mongoose';
import { aggregateSchemaFields, type AggregateFields } from '@messngr/kit';

export type AccountStatus = 'ACTIVE' | 'DISABLED';

export interface AccountDocument extends AggregateFields {
  tenantId: string;
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

export function accountModel(connection: Connection): Model<AccountDocument> {
  return connection.model<AccountDocument>('Account', accountSchema);
}
