import { randomBytes } from 'node:crypto';
import { actingActor, canSupportTenant, requireAuthenticated, type Caller } from '@messngr/kit/auth';
import { type TenantId } from '@messngr/kit/core';
import { BadUserInputError, DomainError, ForbiddenError, NotFoundError } from '@messngr/kit/errors';
import { normalizeEmail } from '../domain/email-address';
import { verifiedIdentity } from '../domain/identity';
import { isAllowedReturnUrl, policyOf } from '../domain/tenant-rules';
import type { IdentityDependencies } from '../dependencies';
import { accountRecoveryStarted } from '../events/identity-events-publisher';
import { countedSignIn } from '../identity-metrics';
import { beginSession, checkDeviceAtSignIn, type DeviceAtSignIn, type SignedIn } from './begin-session';
import { linkIdentity } from './link-identity';
import { ownedFlowDocument, presentOwnedCode } from './owned-code-flow';

export interface StartOperatorRecoveryCommand {
  tenantId: TenantId;
  accountId: string;
  /** The new address the person gave support; the link goes there. */
  email: string;
  reason: string;
  /** The app's page the link opens: one of the tenant's allowed return URLs. */
  returnTo: string;
}

/**
 * Support staff start the recovery of an account that has nothing verified left (or whose
 * owner lost access): a one-time link sent to a new address they record, audited with the
 * operator's id and reason (`identity.account.recovery_started`). Opening it links the address,
 * verified, and signs in with a restricted session.
 */
export async function startOperatorRecovery(
  deps: IdentityDependencies,
  caller: Caller,
  command: StartOperatorRecoveryCommand,
): Promise<{ flowId: string; destination: string; expiresAt: Date }> {
  const operator = requireAuthenticated(caller);
  if (!canSupportTenant(operator, command.tenantId))
    throw new ForbiddenError("Only support staff and the tenant's administrators may do this.");
  if (operator.tenantId === command.tenantId && operator.accountId === command.accountId)
    throw new ForbiddenError('Support staff cannot recover their own account; another operator must.');
  const actor = actingActor(operator, { tenantId: command.tenantId, accountId: command.accountId }, command.reason);
  const reason = actor.reason ?? '';
  const email = normalizeEmail(command.email);
  if (!email) throw new BadUserInputError('email is not an email address.', { field: 'email' });
  const tenant = await deps.tenants.findCached(command.tenantId);
  if (!tenant) throw new NotFoundError('Tenant');
  if (!isAllowedReturnUrl(policyOf(tenant), command.returnTo)) {
    throw new DomainError('RETURN_URL_NOT_ALLOWED', "returnTo is not one of the tenant's allowed return URLs.", 400, {
      field: 'returnTo',
    });
  }
  const account = await deps.accounts.findById(command.tenantId, command.accountId);
  if (!account) throw new NotFoundError('Account');

  const now = deps.clock.now();
  const token = randomBytes(32).toString('base64url');
  const flow = await deps.loginFlows.insert(
    ownedFlowDocument(deps, caller, {
      tenantId: tenant._id,
      purpose: 'RECOVERY',
      owner: null,
      recovery: { accountId: account._id, operatorId: operator.accountId, reason, returnTo: command.returnTo },
      identifier: { kind: 'EMAIL', ...email },
      locale: account.preferredLocale,
      secret: token,
      now,
    }),
    [],
  );
  // The audit trail belongs to the account: its event is in the account's own history.
  await deps.accounts.change(account.tenantId, account._id, () => ({
    changes: { updatedAt: now },
    events: [accountRecoveryStarted(account, 'OPERATOR', reason, actor, now)],
  }));
  deps.courier.nudge();
  return { flowId: flow._id, destination: flow.masked, expiresAt: flow.code.expiresAt };
}

/** The link opened: the address is linked to the account, verified, and a restricted session begins. */
export function completeOperatorRecovery(
  deps: IdentityDependencies,
  caller: Caller,
  command: { recovery: string; device?: DeviceAtSignIn | null },
): Promise<SignedIn> {
  return countedSignIn(deps.metrics, 'OPERATOR_RECOVERY', () => openRecoveryLink(deps, caller, command));
}

async function openRecoveryLink(
  deps: IdentityDependencies,
  caller: Caller,
  command: { recovery: string; device?: DeviceAtSignIn | null },
): Promise<SignedIn> {
  const device = checkDeviceAtSignIn(command.device);
  const dot = command.recovery.indexOf('.');
  const known = dot > 0 ? await deps.loginFlows.findById(command.recovery.slice(0, dot)) : null;
  if (!known || known.purpose !== 'RECOVERY' || !known.recovery)
    throw new DomainError('INVALID_CODE', 'The recovery link is not valid.', 400);
  const flow = await presentOwnedCode(deps, known, command.recovery.slice(dot + 1));
  const recovery = known.recovery;
  const now = deps.clock.now();
  const identity = verifiedIdentity({ kind: 'EMAIL', value: flow.identifier, displayValue: flow.masked }, now, now);
  const actor = { id: recovery.accountId, type: 'account' as const, clientIp: caller.clientIp, userAgent: caller.userAgent };
  const { account } = await linkIdentity(
    deps,
    { tenantId: flow.tenantId, accountId: recovery.accountId },
    identity,
    'CODE',
    actor,
  );
  if (account.status !== 'ACTIVE') throw new DomainError('ACCOUNT_DISABLED', 'The account is disabled.', 409);
  return beginSession(deps, caller, { account, identity, device, now, restricted: true });
}
