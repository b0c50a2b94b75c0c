import { Schema, type Connection, type Model } from 'mongoose';
import { aggregateSchemaFields, type AggregateFields } from '@messngr/kit';

export type TenantStatus = 'ACTIVE' | 'SUSPENDED';

export interface TenantDocument extends AggregateFields {
  name: string;
  slug: string;
  status: TenantStatus;
  createdAt: Date;
  updatedAt: Date;
}

const tenantSchema = new Schema<TenantDocument>(
  {
    ...aggregateSchemaFields,
    name: { type: String, required: true },
    slug: { type: String, required: true, unique: true },
    status: { type: String, required: true, enum: ['ACTIVE', 'SUSPENDED'] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'tenants', versionKey: false },
);

export function tenantModel(connection: Connection): Model<TenantDocument> {
  return connection.model<TenantDocument>('Tenant', tenantSchema);
}
