import { Schema, type Connection, type Model } from 'mongoose';
import type { TenantId } from '@messngr/kit/core';
import { addOutboxIndex, aggregateSchemaFields, type AggregateFields } from '@messngr/kit/mongo';
import type { StoredIdentityProvider } from '../domain/identity-provider';
import type { Metadata } from '../domain/metadata';
import type { SessionSettings } from '../domain/session-settings';
import type { StoredTenantPolicy } from '../domain/tenant-policy';

export type TenantStatus = 'ACTIVE' | 'SUSPENDED';

/**
 * A tenant with its providers and policy in one document, so "exactly one default
 * provider" and "the default is allowed by policy" hold with a single conditional write.
 */
export interface TenantDocument extends AggregateFields {
  _id: TenantId;
  name: string;
  slug: string;
  status: TenantStatus;
  suspensionReason: string | null;
  locales: string[];
  defaultLocale: string;
  defaultTimezone: string;
  session: SessionSettings;
  /** Read it through `tenantPolicyOf`: older tenants lack fields added since. */
  policy: StoredTenantPolicy;
  metadata: Metadata;
  identityProviders: StoredIdentityProvider[];
  defaultProviderId: string;
  createdAt: Date;
  updatedAt: Date;
}

const tenantSchema = new Schema<TenantDocument>(
  {
    ...aggregateSchemaFields,
    name: { type: String, required: true },
    slug: { type: String, required: true, unique: true },
    status: { type: String, required: true, enum: ['ACTIVE', 'SUSPENDED'] },
    suspensionReason: { type: String, default: null },
    locales: { type: [String], required: true },
    defaultLocale: { type: String, required: true },
    defaultTimezone: { type: String, required: true },
    session: { type: Object, required: true },
    policy: { type: Object, required: true },
    metadata: { type: Object, default: () => ({}) },
    identityProviders: { type: [Object], required: true },
    defaultProviderId: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'tenants', versionKey: false },
);
tenantSchema.index({ 'identityProviders.id': 1 });
addOutboxIndex(tenantSchema);

export function tenantModel(connection: Connection): Model<TenantDocument> {
  return connection.model<TenantDocument>('Tenant', tenantSchema);
}
