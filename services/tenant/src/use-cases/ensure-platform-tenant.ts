import { newId, PLATFORM_TENANT, type Clock } from '@messngr/kit/core';
import { nativeProvider } from '../domain/identity-provider';
import { DEFAULT_SESSION_SETTINGS } from '../domain/session-settings';
import { DEFAULT_TENANT_POLICY } from '../domain/tenant-policy';
import { tenantCreated } from '../events/tenant-events-publisher';
import type { TenantRepository } from '../persistence/tenant.repository';

/** The platform tenant exists from first start; creating it twice is a no-op. */
export async function ensurePlatformTenant(deps: { tenants: TenantRepository; clock: Clock }): Promise<void> {
  if (await deps.tenants.findById(PLATFORM_TENANT.id)) return;
  const now = deps.clock.now();
  const native = nativeProvider(newId('idp', now.getTime()), now);
  const tenant = {
    _id: PLATFORM_TENANT.id,
    name: PLATFORM_TENANT.name,
    slug: PLATFORM_TENANT.slug,
    status: 'ACTIVE' as const,
    suspensionReason: null,
    locales: ['en'],
    defaultLocale: 'en',
    defaultTimezone: 'UTC',
    session: DEFAULT_SESSION_SETTINGS,
    policy: DEFAULT_TENANT_POLICY,
    metadata: {},
    identityProviders: [native],
    defaultProviderId: native.id,
    createdAt: now,
    updatedAt: now,
  };
  await deps.tenants.create(tenant, [tenantCreated(tenant, undefined, now)]);
}
