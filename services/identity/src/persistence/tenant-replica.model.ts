import { Schema, type Connection, type Model } from 'mongoose';

/**
 * What the identity subgraph knows of a tenant, kept current from the tenant subgraph's
 * events (it never reads the tenant subgraph's collections).
 */
export interface TenantReplicaDocument {
  _id: string;
  slug: string;
  name: string;
  status: 'ACTIVE' | 'SUSPENDED';
  /** The tenant's sign-in policy as last published; absent until the first policy change. */
  policy?: Record<string, unknown>;
  /** Id of the last event applied. */
  lastEventId: string;
  updatedAt: Date;
}

/** A federation reference to a tenant, as resolvers receive it. */
export interface TenantReference {
  id: string;
}

const tenantReplicaSchema = new Schema<TenantReplicaDocument>(
  {
    _id: { type: String, required: true },
    slug: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    status: { type: String, required: true, enum: ['ACTIVE', 'SUSPENDED'] },
    policy: { type: Object },
    lastEventId: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'tenants', versionKey: false },
);

export function tenantReplicaModel(connection: Connection): Model<TenantReplicaDocument> {
  return connection.model<TenantReplicaDocument>('TenantReplica', tenantReplicaSchema);
}
