import { requirePlatformAdmin, type Caller } from '@messngr/kit/auth';
import { PLATFORM_TENANT, type TenantId } from '@messngr/kit/core';
import { BadUserInputError, ConflictError, NotFoundError } from '@messngr/kit/errors';
import { tenantSuspended } from '../events/tenant-events-publisher';
import type { TenantDocument } from '../persistence/tenant.model';
import type { TenantDependencies } from '../dependencies';

export async function suspendTenant(
  deps: Pick<TenantDependencies, 'tenants' | 'clock'>,
  caller: Caller,
  command: { id: TenantId; reason: string },
): Promise<TenantDocument> {
  const admin = requirePlatformAdmin(caller);
  const reason = command.reason.trim();
  if (reason.length < 1 || reason.length > 500)
    throw new BadUserInputError('reason must be 1 to 500 characters.', { field: 'reason' });
  if (command.id === PLATFORM_TENANT.id)
    throw new ConflictError('PLATFORM_TENANT_PROTECTED', 'The platform tenant cannot be suspended.');
  const suspended = await deps.tenants.change(command.id, (tenant) => {
    if (tenant.status === 'SUSPENDED') throw new ConflictError('TENANT_ALREADY_SUSPENDED', 'The tenant is already suspended.');
    const now = deps.clock.now();
    return {
      changes: { status: 'SUSPENDED', suspensionReason: reason, updatedAt: now },
      events: [tenantSuspended(tenant, reason, admin, now)],
    };
  });
  if (!suspended) throw new NotFoundError('Tenant');
  return suspended;
}
