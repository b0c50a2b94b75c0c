import { DomainError } from '@messngr/kit/errors';
import type { TenantId } from '@messngr/kit/core';
import type { TenantPolicyData } from '@messngr/contracts';
import { identifierDigest } from '../domain/identity';
import { lockedForMs } from '../domain/login-lockout';
import { sendWindow } from '../domain/send-window';
import type { LoginLockoutRepository } from '../persistence/login-lockout.repository';
import type { SendSlotRepository } from '../persistence/send-slot.repository';
import type { LoginIdentifier } from './login-identifier';

/** A refusal that says when to try again. */
export class RetryLaterError extends DomainError {
  constructor(code: 'RATE_LIMITED' | 'LOCKED_OUT', message: string, retryAfterMs: number) {
    super(code, message, 429, { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) });
  }
}

export function lockoutKey(tenantId: TenantId, identifier: LoginIdentifier): string {
  return `${tenantId}:${identifierDigest(tenantId, identifier.kind, identifier.value)}`;
}

/** Sign-in with a locked identifier is refused (with when it opens again), whether or not it has an account. */
export async function refuseIfLockedOut(
  lockouts: LoginLockoutRepository,
  tenantId: TenantId,
  identifier: LoginIdentifier,
  now: Date,
): Promise<void> {
  const lockedFor = lockedForMs(await lockouts.stateOf(tenantId, lockoutKey(tenantId, identifier)), now);
  if (lockedFor > 0)
    throw new RetryLaterError('LOCKED_OUT', 'Too many wrong codes for this address; try again later.', lockedFor);
}

/**
 * Sending a code takes a slot of the identifier's, the client network's and the tenant's
 * hourly allowance (the tenant's policy), in that order; the first full one refuses.
 *
 * A refused send takes nothing: every scope is checked for room before any slot is taken,
 * or a person behind a busy network would use up their own address's allowance just by
 * trying, and a tenant at its limit would drain its callers' allowances. (Only two sends
 * racing for a scope's last slot can still leave a slot taken in a scope before it.)
 */
export async function takeSendSlots(
  slots: SendSlotRepository,
  tenantId: TenantId,
  identifier: LoginIdentifier,
  clientIp: string | undefined,
  policy: TenantPolicyData,
  now: Date,
): Promise<void> {
  const window = sendWindow(now);
  const scopes = sendScopes(tenantId, identifier, clientIp, policy);
  const refusal = () =>
    new RetryLaterError(
      'RATE_LIMITED',
      'Too many codes were sent lately; try again later.',
      window.endsAt.getTime() - now.getTime(),
    );
  const full = await Promise.all(scopes.map(({ scope, limit }) => slots.isFull(tenantId, scope, window, limit)));
  if (full.some(Boolean)) throw refusal();
  for (const { scope, limit } of scopes) {
    if (!(await slots.take(tenantId, scope, window, limit))) throw refusal();
  }
}

/**
 * The scopes a send counts in, with their limits. Each names its tenant: a slot's `_id` is
 * unique across tenants (`<scope>:<window>:<n>`), so a scope without the tenant in it (the
 * network, the tenant's own allowance) would let one tenant's sends fill another's slots.
 */
export function sendScopes(
  tenantId: TenantId,
  identifier: LoginIdentifier,
  clientIp: string | undefined,
  policy: TenantPolicyData,
): { scope: string; limit: number }[] {
  const limits = policy.otpSendLimits;
  return [
    {
      scope: `${tenantId}:id:${identifierDigest(tenantId, identifier.kind, identifier.value)}`,
      limit: limits.perIdentifierPerHour,
    },
    ...(clientIp ? [{ scope: `${tenantId}:ip:${clientIp}`, limit: limits.perIpPerHour }] : []),
    { scope: `${tenantId}:tenant`, limit: limits.perTenantPerHour },
  ];
}
