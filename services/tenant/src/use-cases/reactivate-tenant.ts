import { ConflictError, NotFoundError, requirePlatformAdmin, type Caller } from '@messngr/kit';
import { tenantReactivated } from '../events/tenant-events';
import type { TenantDocument } from '../persistence/tenant.model';
import type { TenantDependencies } from '../tenant-dependencies';

export async function reactivateTenant(
  deps: Pick<TenantDependencies, 'tenants' | 'clock'>,
  caller: Caller,
  command: { id: string },
): Promise<TenantDocument> {
  const admin = requirePlatformAdmin(caller);
  const reactivated = await deps.tenants.change(command.id, (tenant) => {
    if (tenant.status !== 'SUSPENDED') throw new ConflictError('TENANT_NOT_SUSPENDED', 'The tenant is not suspended.');
    const now = deps.clock.now();
    return {
      changes: { status: 'ACTIVE', suspensionReason: null, updatedAt: now },
      events: [tenantReactivated(tenant, admin, now)],
    };
  });
  if (!reactivated) throw new NotFoundError('Tenant');
  return reactivated;
}
