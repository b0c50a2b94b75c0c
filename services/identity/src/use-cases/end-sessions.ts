import {
  actingActor,
  canSupportTenant,
  requireAuthenticated,
  requireSignedIn,
  type AuthenticatedCaller,
  type Caller,
} from '@messngr/kit/auth';
import { asTenantId, type TenantId } from '@messngr/kit/core';
import { DomainError, ForbiddenError } from '@messngr/kit/errors';
import type { EventActor } from '@messngr/kit/events';
import type { SessionEndReason } from '../domain/session';
import type { SessionDependencies } from '../dependencies';
import { sessionRevoked } from '../events/identity-events-publisher';
import type { SessionDocument } from '../persistence/session.model';

/**
 * How long ending a session waits for its event to reach the broker before answering anyway
 * (the broker is out of reach: the relay publishes it later, and refresh is refused already).
 */
export const REVOCATION_PUBLISH_WAIT_MS = 3_000;

/**
 * Ends one session: its refresh tokens die with it, and the event tells the gateway to
 * refuse its access tokens from the next request on, until the last of them has expired.
 * It answers only once the event is on the broker (or after REVOCATION_PUBLISH_WAIT_MS), so
 * a gateway that reads the revocation topics up to their end before it answers a mutation
 * refuses the session's tokens on the caller's very next request. Ending an ended session
 * changes nothing (and waits for a revocation still on its way, such as a concurrent one).
 */
export async function endSession(
  deps: SessionDependencies,
  session: SessionDocument,
  reason: SessionEndReason,
  actor: EventActor,
  now: Date,
): Promise<SessionDocument> {
  const accessTokensExpireBy = new Date(now.getTime() + deps.accessTokenTtlSeconds * 1000);
  const ended = await deps.sessions.change(session.tenantId, session._id, (current) => {
    if (current.status !== 'ACTIVE') return undefined;
    return {
      changes: { status: 'REVOKED', endedAt: now, endReason: reason },
      events: [sessionRevoked(current, reason, accessTokensExpireBy, actor, now)],
    };
  });
  const revocations = (ended?.pendingEvents ?? [])
    .filter((event) => event.type === 'identity.session.revoked')
    .map((event) => event.id);
  if (revocations.length > 0)
    await deps.sessions.whenPublished(session.tenantId, session._id, revocations, REVOCATION_PUBLISH_WAIT_MS);
  return ended ?? session;
}

/** How many of a removed client's sessions end at a time. */
const CLIENT_SESSIONS_BATCH = 50;

/**
 * Ends every active session signed in to an OAuth client (it was removed): their refresh
 * tokens stop working through every door, GraphQL included, and the gateway refuses their
 * access tokens. In batches, in id order, so a client with many sessions is not read at once.
 */
export async function endSessionsOfClient(
  deps: SessionDependencies,
  tenantId: TenantId,
  clientId: string,
  actor: EventActor,
  now: Date,
): Promise<void> {
  let after = '';
  for (;;) {
    const batch = await deps.sessions.activeOfClient(tenantId, clientId, after, CLIENT_SESSIONS_BATCH);
    if (batch.length === 0) return;
    await Promise.all(batch.map((session) => endSession(deps, session, 'CLIENT_REMOVED', actor, now)));
    after = batch[batch.length - 1]!._id;
  }
}

function actorOf(caller: Caller): EventActor {
  return { id: caller.accountId, type: 'account', clientIp: caller.clientIp, userAgent: caller.userAgent };
}

/** Ends the caller's own current session. */
export async function signOut(deps: SessionDependencies, caller: Caller): Promise<SessionDocument> {
  // A recovery session may sign out too.
  const me = requireSignedIn(caller);
  const session = me.sessionId ? await deps.sessions.findById(me.tenantId, me.sessionId) : null;
  if (!session || session.accountId !== me.accountId) throw new DomainError('SESSION_NOT_FOUND', 'No such session.', 404);
  return endSession(deps, session, 'SIGNED_OUT', actorOf(me), deps.clock.now());
}

/**
 * Ends one session: one of the caller's own (any of them, the current one included), or, for
 * its tenant's administrators and support, a session of the account they name, with a reason.
 */
export async function revokeSession(
  deps: SessionDependencies,
  caller: Caller,
  command: { sessionId: string; accountId?: string | null; tenantId?: string | null; reason?: string | null },
): Promise<SessionDocument> {
  const me = requireAuthenticated(caller);
  const target = targetAccount(me, command);
  const session = await deps.sessions.findById(target.tenantId, command.sessionId);
  if (!session || session.accountId !== target.accountId) throw new DomainError('SESSION_NOT_FOUND', 'No such session.', 404);
  return endSession(deps, session, 'REVOKED', actingActor(me, target, command.reason), deps.clock.now());
}

/** The account a session command is about: the caller's own, or one its tenant's support may name (else SESSION_NOT_FOUND / FORBIDDEN). */
function targetAccount(
  me: AuthenticatedCaller,
  command: { accountId?: string | null; tenantId?: string | null },
): { tenantId: TenantId; accountId: string } {
  const tenantId = command.tenantId ? asTenantId(command.tenantId) : me.tenantId;
  const accountId = command.accountId ?? me.accountId;
  const own = tenantId === me.tenantId && accountId === me.accountId;
  if (!own && !canSupportTenant(me, tenantId))
    throw new ForbiddenError("Only the account itself, its tenant's administrators or support may do this.");
  return { tenantId, accountId };
}

/** Ends every session of the caller but the one making the request. */
export async function revokeOtherSessions(deps: SessionDependencies, caller: Caller): Promise<SessionDocument[]> {
  const me = requireAuthenticated(caller);
  const now = deps.clock.now();
  const others = (await deps.sessions.ofAccount(me.tenantId, me.accountId, false)).filter(
    (session) => session._id !== me.sessionId,
  );
  return Promise.all(others.map((session) => endSession(deps, session, 'REVOKED_WITH_OTHERS', actorOf(me), now)));
}

/**
 * Ends every session of an account: the caller's own, or, for its tenant's administrators and
 * support, any account's (a compromised account), with a reason.
 */
export async function revokeAllSessions(
  deps: SessionDependencies,
  caller: Caller,
  command: { accountId?: string | null; tenantId?: string | null; reason?: string | null },
): Promise<SessionDocument[]> {
  const me = requireAuthenticated(caller);
  const target = targetAccount(me, command);
  const actor = actingActor(me, target, command.reason);
  const now = deps.clock.now();
  const sessions = await deps.sessions.ofAccount(target.tenantId, target.accountId, false);
  return Promise.all(sessions.map((session) => endSession(deps, session, 'REVOKED_ALL', actor, now)));
}
