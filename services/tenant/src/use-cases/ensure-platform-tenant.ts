import { PLATFORM_TENANT, type Clock } from '@messngr/kit';
import { tenantCreated } from '../events/tenant-events';
import type { TenantRepository } from '../persistence/tenant.repository';

/** The platform tenant exists from first start; creating it twice is a no-op. */
export async function ensurePlatformTenant(deps: { tenants: TenantRepository; clock: Clock }): Promise<void> {
  if (await deps.tenants.findById(PLATFORM_TENANT.id)) return;
  const now = deps.clock.now();
  const tenant = {
    _id: PLATFORM_TENANT.id,
    name: PLATFORM_TENANT.name,
    slug: PLATFORM_TENANT.slug,
    status: 'ACTIVE' as const,
    createdAt: now,
    updatedAt: now,
  };
  await deps.tenants.insert(tenant, [tenantCreated(tenant, undefined, now)]);
}
