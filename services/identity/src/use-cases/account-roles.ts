import { ACCOUNT_ROLES, type AccountRole } from '@messngr/contracts';
import { actingActor, isPlatformAdmin, requireAuthenticated, requireTenantAdmin, type Caller } from '@messngr/kit/auth';
import { asTenantId, PLATFORM_TENANT, Role } from '@messngr/kit/core';
import { BadUserInputError, ForbiddenError, NotFoundError } from '@messngr/kit/errors';
import type { IdentityDependencies, SessionDependencies } from '../dependencies';
import { accountRolesChanged } from '../events/identity-events-publisher';
import type { AccountDocument } from '../persistence/account.model';
import { endSession } from './end-sessions';

export interface SetAccountRolesCommand {
  accountId: string;
  /** The account's tenant; the caller's own when omitted (platform administrators name any). */
  tenantId?: string | null;
  roles: readonly string[];
  reason: string;
}

/** The roles as stored: known ones only, each once, in one order (so "no change" is recognised). */
export function canonicalRoles(roles: readonly string[]): AccountRole[] {
  return ACCOUNT_ROLES.filter((role) => roles.includes(role));
}

/**
 * Sets an account's roles in its tenant, its membership record (the tenant's administrators;
 * `platform_admin` only in the platform tenant, by platform administrators). Nobody changes
 * their own roles. A role taken away ends every session of the account, so tokens carrying it
 * are refused from the next request; a role given applies from the next sign-in.
 */
export async function setAccountRoles(
  deps: Pick<IdentityDependencies, 'accounts' | 'clock'> & SessionDependencies,
  caller: Caller,
  command: SetAccountRolesCommand,
): Promise<AccountDocument> {
  const me = requireAuthenticated(caller);
  const tenantId = command.tenantId ? asTenantId(command.tenantId) : me.tenantId;
  requireTenantAdmin(me, tenantId);
  if (tenantId === me.tenantId && command.accountId === me.accountId)
    throw new ForbiddenError('Nobody changes their own roles; another administrator must.');
  const unknown = command.roles.filter((role) => !(ACCOUNT_ROLES as readonly string[]).includes(role));
  if (unknown.length > 0) throw new BadUserInputError(`Unknown role ${unknown.join(', ')}.`, { field: 'roles' });
  const roles = canonicalRoles(command.roles);
  if (roles.includes(Role.PLATFORM_ADMIN) && tenantId !== PLATFORM_TENANT.id)
    throw new BadUserInputError('platform_admin exists only in the platform tenant.', { field: 'roles' });
  const actor = actingActor(me, { tenantId, accountId: command.accountId }, command.reason);
  const now = deps.clock.now();
  let removed = false;
  const account = await deps.accounts.change(tenantId, command.accountId, (current) => {
    const before = canonicalRoles(current.roles);
    if (before.length === roles.length && before.every((role, i) => role === roles[i])) return undefined;
    const touchesPlatformAdmin = before.includes(Role.PLATFORM_ADMIN) !== roles.includes(Role.PLATFORM_ADMIN);
    if (touchesPlatformAdmin && !isPlatformAdmin(me))
      throw new ForbiddenError('Only platform administrators give or take platform_admin.');
    removed = before.some((role) => !roles.includes(role));
    return { changes: { roles, updatedAt: now }, events: [accountRolesChanged(current, before, roles, actor, now)] };
  });
  if (!account) throw new NotFoundError('Account');
  if (removed) {
    const sessions = await deps.sessions.ofAccount(account.tenantId, account._id, false);
    await Promise.all(sessions.map((session) => endSession(deps, session, 'ROLES_CHANGED', actor, now)));
  }
  return account;
}
