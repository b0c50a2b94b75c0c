import { actingActor, canSupportTenant, requireAuthenticated, requireSupportReason, type Caller } from '@messngr/kit/auth';
import { asTenantId } from '@messngr/kit/core';
import { ForbiddenError, NotFoundError } from '@messngr/kit/errors';
import type { EventActor } from '@messngr/kit/events';
import { claimValueOf, type StoredIdentity } from '../domain/identity';
import { decideRevocation } from '../domain/identity-removal';
import type { IdentityDependencies } from '../dependencies';
import { identityRevoked } from '../events/identity-events-publisher';
import type { SessionDocument } from '../persistence/session.model';
import { endSession } from './end-sessions';
import { badgeKeyOf } from './identity-badge';
import { requireRecentAuthentication } from './step-up';

export interface RevokeIdentityCommand {
  identityId: string;
  reason: string;
  /** Support and tenant administrators name the account; the owner leaves it out. */
  accountId?: string | null;
  tenantId?: string | null;
}

/**
 * A compromised identity revoked: removed even if it was the last verified one (the account
 * can then only be recovered), and every session opened through it ended, each with its own
 * `identity.session.revoked`, from which the device subgraph revokes the devices bound to
 * them. The owner needs a recent sign-in; the tenant's administrators and support do not.
 */
export async function revokeIdentity(
  deps: IdentityDependencies,
  caller: Caller,
  command: RevokeIdentityCommand,
): Promise<{ revoked: StoredIdentity; endedSessions: SessionDocument[] }> {
  const me = requireAuthenticated(caller);
  // The owner says why too: the reason is the revocation's record, whoever revokes.
  const reason = requireSupportReason(command.reason);
  const tenantId = command.tenantId ? asTenantId(command.tenantId) : me.tenantId;
  const accountId = command.accountId ?? me.accountId;
  const own = tenantId === me.tenantId && accountId === me.accountId;
  if (own) await requireRecentAuthentication(deps, caller);
  else if (!canSupportTenant(me, tenantId))
    throw new ForbiddenError("Only the account itself, its tenant's administrators or support may do this.");
  const actor: EventActor = actingActor(me, { tenantId, accountId }, reason);

  const now = deps.clock.now();
  const before = await deps.accounts.findById(tenantId, accountId);
  const target = before?.identities.find((identity) => identity.id === command.identityId);
  if (!before || !target) throw new NotFoundError('Identity');
  const badgeKey = await badgeKeyOf(deps.providers, target);
  let revoked: StoredIdentity | undefined;
  await deps.accounts.change(tenantId, accountId, (current) => {
    const decision = decideRevocation(current.identities, command.identityId);
    if ('refusal' in decision) throw new NotFoundError('Identity');
    revoked = decision.removed;
    const remaining = decision.remaining.filter((identity) => identity.verified).length;
    return {
      changes: { identities: decision.remaining, updatedAt: now },
      events: [identityRevoked(current, decision.removed, badgeKey, reason, remaining, actor, now)],
    };
  });
  if (!revoked) throw new NotFoundError('Identity');
  const value = claimValueOf(revoked);
  if (value) await deps.claims.release(tenantId, revoked.kind, value, accountId);
  deps.metrics.identityGone('REVOKED');
  const opened = (await deps.sessions.ofAccount(tenantId, accountId, false)).filter(
    (session) => session.identity.id === command.identityId,
  );
  const endedSessions = await Promise.all(opened.map((session) => endSession(deps, session, 'IDENTITY_REVOKED', actor, now)));
  return { revoked, endedSessions };
}
