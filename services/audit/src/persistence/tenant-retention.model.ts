import { Schema, type Connection, type Model } from 'mongoose';
import type { ReplicaFields } from '@messngr/kit/mongo';

/** How long a tenant keeps its audit entries, from its policy in the tenant subgraph's events. */
export interface TenantRetentionDocument extends ReplicaFields {
  /** The tenant's id. */
  _id: string;
  auditRetentionDays: number;
}

const tenantRetentionSchema = new Schema<TenantRetentionDocument>(
  {
    _id: { type: String, required: true },
    sequence: { type: Number, required: true },
    auditRetentionDays: { type: Number, required: true },
  },
  { collection: 'tenant_retention', versionKey: false },
);

export function tenantRetentionModel(connection: Connection): Model<TenantRetentionDocument> {
  return connection.model<TenantRetentionDocument>('TenantRetention', tenantRetentionSchema);
}
