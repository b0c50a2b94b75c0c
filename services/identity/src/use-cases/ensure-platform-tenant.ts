import { PLATFORM_TENANT, type Clock } from '@messngr/kit';
import type { TenantReplicaRepository } from '../persistence/tenant-replica.repository';
import type { SigningKeys } from '../tokens/signing-keys';

/**
 * The platform tenant is known from first start, before its creation event arrives, so
 * the operator CLI can issue tokens on a fresh stack. The event later writes the same values.
 */
export async function ensurePlatformTenant(deps: {
  tenants: TenantReplicaRepository;
  keys: SigningKeys;
  clock: Clock;
}): Promise<void> {
  if (!(await deps.tenants.findById(PLATFORM_TENANT.id))) {
    await deps.tenants.apply(
      {
        _id: PLATFORM_TENANT.id,
        slug: PLATFORM_TENANT.slug,
        name: PLATFORM_TENANT.name,
        status: 'ACTIVE',
        lastEventId: 'bootstrap',
      },
      deps.clock.now(),
    );
  }
  await deps.keys.ensureKeyring(PLATFORM_TENANT.id);
}
