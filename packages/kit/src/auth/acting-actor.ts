import type { ActorType } from '@messngr/contracts';
import type { EventActor } from '../events/create-event';
import { BadUserInputError } from '../errors/errors';
import { displayTextProblem, normalizeDisplayText } from '../core/display-text';
import type { TenantId } from '../core/tenant-id';
import type { AuthenticatedCaller } from './authorization';
import { canAdministerTenant } from './authorization';

export const SUPPORT_REASON_LENGTH = { min: 3, max: 500 } as const;

/**
 * The actor of a change `caller` makes to an account of `tenantId`: the account itself
 * (`account`), one of the tenant's administrators (`tenant_admin`), or support staff
 * (`operator`: a tenant's support agent or platform support). Acting on someone else's
 * account needs a reason, recorded with the change.
 */
export function actingActor(
  caller: AuthenticatedCaller,
  target: { tenantId: TenantId; accountId: string },
  reason?: string | null,
): EventActor {
  const where = {
    ...(caller.clientIp ? { clientIp: caller.clientIp } : {}),
    ...(caller.userAgent ? { userAgent: caller.userAgent } : {}),
  };
  if (caller.tenantId === target.tenantId && caller.accountId === target.accountId) {
    return { id: caller.accountId, type: 'account', ...where };
  }
  const type: ActorType = canAdministerTenant(caller, target.tenantId) ? 'tenant_admin' : 'operator';
  return { id: caller.accountId, type, reason: requireSupportReason(reason), ...where };
}

/** A support action's reason, normalized; `BAD_USER_INPUT` (field `reason`) when missing, blank, too long or with control characters. */
export function requireSupportReason(reason: string | null | undefined, field = 'reason'): string {
  if (reason === null || reason === undefined) {
    throw new BadUserInputError('A reason is required when acting on someone else’s account.', { field });
  }
  const normalized = normalizeDisplayText(reason);
  const problem = displayTextProblem(normalized, SUPPORT_REASON_LENGTH);
  if (problem) throw new BadUserInputError(`reason ${problem}.`, { field });
  return normalized;
}
