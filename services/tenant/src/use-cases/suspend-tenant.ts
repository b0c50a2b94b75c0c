import { requirePlatformAdmin, type Caller } from '@messngr/kit/auth';
import { PLATFORM_TENANT, type TenantId } from '@messngr/kit/core';
import { BadUserInputError, ConflictError, NotFoundError } from '@messngr/kit/errors';
import { tenantSuspended } from '../events/tenant-events-publisher';
import type { TenantDocument } from '../persistence/tenant.model';
import type { TenantDependencies } from '../dependencies';

/** How long suspending waits for its event to reach the broker before answering anyway. */
export const SUSPENSION_PUBLISH_WAIT_MS = 3_000;

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
  let eventId: string | undefined;
  const suspended = await deps.tenants.change(command.id, (tenant) => {
    if (tenant.status === 'SUSPENDED') throw new ConflictError('TENANT_ALREADY_SUSPENDED', 'The tenant is already suspended.');
    const now = deps.clock.now();
    const event = tenantSuspended(tenant, reason, admin, now);
    eventId = event.id;
    return { changes: { status: 'SUSPENDED', suspensionReason: reason, updatedAt: now }, events: [event] };
  });
  if (!suspended) throw new NotFoundError('Tenant');
  // The gateway refuses the tenant's tokens once the event is on the broker: answer only then (or after a bound).
  if (eventId) await deps.tenants.whenPublished(command.id, [eventId], SUSPENSION_PUBLISH_WAIT_MS);
  return suspended;
}
