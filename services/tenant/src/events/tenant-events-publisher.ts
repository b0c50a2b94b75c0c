import { createEvent, PLATFORM_TENANT, type Caller, type EventEnvelope } from '@messngr/kit';
import { providerEventView, type StoredIdentityProvider } from '../domain/identity-provider';
import type { TenantDocument } from '../persistence/tenant.model';

export const TENANT_SERVICE = 'tenant';

export type FieldChanges = Record<string, { before: unknown; after: unknown } | { changed: true }>;

function tenantEvent<Data>(
  type: string,
  tenantId: string,
  actor: Caller | undefined,
  time: Date,
  data: Data,
): EventEnvelope<Data> {
  return createEvent({
    service: TENANT_SERVICE,
    type,
    subject: tenantId,
    tenantId,
    actor: actor?.accountId ? { id: actor.accountId, type: 'account' } : { type: 'system' },
    time,
    data,
  });
}

export function tenantCreated(
  tenant: Pick<TenantDocument, '_id' | 'name' | 'slug' | 'status'>,
  actor: Caller | undefined,
  time: Date,
) {
  return tenantEvent('tenant.tenant.created', tenant._id, actor, time, {
    tenant: { id: tenant._id, name: tenant.name, slug: tenant.slug, status: tenant.status },
  });
}

/** Carries the tenant's current name and slug so consumers' copies stay current. */
export function tenantUpdated(
  tenant: Pick<TenantDocument, '_id' | 'name' | 'slug' | 'status'>,
  changes: FieldChanges,
  actor: Caller,
  time: Date,
) {
  return tenantEvent('tenant.tenant.updated', tenant._id, actor, time, {
    tenant: { id: tenant._id, name: tenant.name, slug: tenant.slug, status: tenant.status },
    changes,
  });
}

export function tenantSuspended(
  tenant: Pick<TenantDocument, '_id' | 'name' | 'slug'>,
  reason: string,
  actor: Caller,
  time: Date,
) {
  return tenantEvent('tenant.tenant.suspended', tenant._id, actor, time, {
    tenant: { id: tenant._id, name: tenant.name, slug: tenant.slug, status: 'SUSPENDED' },
    reason,
  });
}

export function tenantReactivated(tenant: Pick<TenantDocument, '_id' | 'name' | 'slug'>, actor: Caller, time: Date) {
  return tenantEvent('tenant.tenant.reactivated', tenant._id, actor, time, {
    tenant: { id: tenant._id, name: tenant.name, slug: tenant.slug, status: 'ACTIVE' },
  });
}

export function policyUpdated(tenantId: string, changes: FieldChanges, policy: unknown, actor: Caller, time: Date) {
  return tenantEvent('tenant.tenant.policy_updated', tenantId, actor, time, { tenant: { id: tenantId }, changes, policy });
}

export function defaultProviderChanged(tenantId: string, before: string, after: string, actor: Caller, time: Date) {
  return tenantEvent('tenant.tenant.default_provider_changed', tenantId, actor, time, {
    tenant: { id: tenantId },
    before,
    after,
  });
}

export type ProviderEventVerb = 'registered' | 'updated' | 'enabled' | 'disabled' | 'removed';

/** Provider events of shared definitions belong to the platform tenant. */
export function identityProviderEvent(
  verb: ProviderEventVerb,
  provider: StoredIdentityProvider,
  tenantId: string | null,
  actor: Caller,
  time: Date,
  changes?: FieldChanges,
): EventEnvelope<unknown> {
  return tenantEvent(`tenant.identity_provider.${verb}`, tenantId ?? PLATFORM_TENANT.id, actor, time, {
    identityProvider: providerEventView(provider, tenantId),
    ...(changes ? { changes } : {}),
  });
}

/** Field-by-field before/after of what differs; `secretFields` are reported only as changed. */
export function fieldChanges(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  secretFields: string[] = [],
): FieldChanges {
  const changes: FieldChanges = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
    changes[key] = secretFields.includes(key) ? { changed: true } : { before: before[key] ?? null, after: after[key] ?? null };
  }
  return changes;
}
