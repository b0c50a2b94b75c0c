import { actingActor, canSupportTenant, requireAuthenticated, type Caller } from '@messngr/kit/auth';
import type { TenantId } from '@messngr/kit/core';
import { ForbiddenError, NotFoundError } from '@messngr/kit/errors';
import type { IdentityDependencies, SessionDependencies } from '../dependencies';
import { accountDisabled, accountEnabled } from '../events/identity-events-publisher';
import type { AccountDocument } from '../persistence/account.model';
import { endSession } from './end-sessions';

/**
 * Disables or enables an account (its tenant's administrators and support, platform support), with
 * a reason either way. Disabling
 * ends every session of it too: no refresh works, and the gateway refuses its tokens on the
 * next request, from both events.
 */
export async function setAccountStatus(
  deps: Pick<IdentityDependencies, 'accounts' | 'clock'> & SessionDependencies,
  caller: Caller,
  command: { tenantId: TenantId; accountId: string; enabled: boolean; reason?: string | null },
): Promise<AccountDocument> {
  const me = requireAuthenticated(caller);
  if (!canSupportTenant(me, command.tenantId))
    throw new ForbiddenError("Only the tenant's administrators or support may do this.");
  if (me.tenantId === command.tenantId && me.accountId === command.accountId)
    throw new ForbiddenError('An account cannot disable or enable itself; another administrator must.');
  const actor = actingActor(me, command, command.reason);
  const reason = actor.reason ?? '';
  const now = deps.clock.now();
  const account = await deps.accounts.change(command.tenantId, command.accountId, (current) => {
    const status = command.enabled ? 'ACTIVE' : 'DISABLED';
    if (current.status === status) return undefined;
    return {
      changes: { status, updatedAt: now },
      events: [command.enabled ? accountEnabled(current, actor, now) : accountDisabled(current, reason, actor, now)],
    };
  });
  if (!account) throw new NotFoundError('Account');
  if (!command.enabled) {
    const sessions = await deps.sessions.ofAccount(account.tenantId, account._id, false);
    await Promise.all(sessions.map((session) => endSession(deps, session, 'REVOKED_ALL', actor, now)));
  }
  return account;
}
