import { requirePlatformAdmin, type Caller } from '@messngr/kit/auth';
import { ConflictError, NotFoundError } from '@messngr/kit/errors';
import { tenantReactivated } from '../events/tenant-events-publisher';
import type { TenantDocument } from '../persistence/tenant.model';
import type { TenantDependencies } from '../dependencies';
import type { TenantId } from '@messngr/kit/core';

export async function reactivateTenant(
  deps: Pick<TenantDependencies, 'tenants' | 'clock'>,
  caller: Caller,
  command: { id: TenantId },
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
