import { Schema, type Connection, type Model } from 'mongoose';
import type { TenantPolicyData } from '@messngr/contracts';
import type { TenantId } from '@messngr/kit/core';
import type { ReplicaFields } from '@messngr/kit/mongo';

/**
 * What the identity subgraph knows of a tenant, kept current from the tenant subgraph's
 * events (it never reads the tenant subgraph's collections).
 */
export interface TenantReplicaDocument extends ReplicaFields {
  _id: TenantId;
  slug: string;
  name: string;
  status: 'ACTIVE' | 'SUSPENDED';
  /** The tenant's sign-in policy as last published (absent for a tenant known only from its bootstrap). */
  policy?: TenantPolicyData;
  /** How long its sessions live, as last published. */
  sessionLifetimes?: { sessionTtlSeconds: number; refreshTokenAbsoluteLifetimeSeconds: number };
  /** The cookie its web clients keep their refresh token in, as last published. */
  sessionCookie?: { name: string; domain: string | null };
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
    sessionLifetimes: { type: Object },
    sessionCookie: { type: Object },
    sequence: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'tenants', versionKey: false },
);

export function tenantReplicaModel(connection: Connection): Model<TenantReplicaDocument> {
  return connection.model<TenantReplicaDocument>('TenantReplica', tenantReplicaSchema);
}
