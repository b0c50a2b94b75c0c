import { PLATFORM_TENANT, type Clock } from '@messngr/kit/core';
import type { TenantReplicaRepository } from '../persistence/tenant-replica.repository';
import type { SigningKeys } from '../tokens/signing-keys';

/**
 * The platform tenant is known from first start, before its creation event arrives, so
 * the operator CLI can issue tokens on a fresh stack. Its copy starts at sequence 0, so the
 * creation event (and everything after it) applies over it.
 */
export async function ensurePlatformTenant(deps: {
  tenants: TenantReplicaRepository;
  keys: SigningKeys;
  clock: Clock;
}): Promise<void> {
  if (!(await deps.tenants.findById(PLATFORM_TENANT.id))) {
    await deps.tenants.apply(
      PLATFORM_TENANT.id,
      0,
      { slug: PLATFORM_TENANT.slug, name: PLATFORM_TENANT.name, status: 'ACTIVE' },
      deps.clock.now(),
    );
  }
  await deps.keys.ensureKeyring(PLATFORM_TENANT.id);
}
