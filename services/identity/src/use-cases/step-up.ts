import { requireAuthenticated, requireSignedIn, type AuthenticatedCaller, type Caller } from '@messngr/kit/auth';
import type { TenantId } from '@messngr/kit/core';
import { DomainError, UnauthenticatedError } from '@messngr/kit/errors';
import { STARTING_TENANT_POLICY } from '@messngr/contracts';
import { policyOf } from '../domain/tenant-rules';
import type { SessionDependencies } from '../dependencies';
import type { FlowOwner } from '../persistence/login-flow.model';
import type { SessionDocument } from '../persistence/session.model';

export interface SignedInWithSession {
  me: AuthenticatedCaller & { sessionId: string };
  session: SessionDocument;
}

/**
 * The caller's own, active session: what step-up and flow ownership are checked against. A
 * recovery session only where `allowRestricted` says so (linking an identity, new recovery codes).
 */
export async function currentSession(
  deps: Pick<SessionDependencies, 'sessions'>,
  caller: Caller,
  options: { allowRestricted?: boolean } = {},
): Promise<SignedInWithSession> {
  const me = options.allowRestricted ? requireSignedIn(caller) : requireAuthenticated(caller);
  const session = me.sessionId ? await deps.sessions.findById(me.tenantId, me.sessionId) : null;
  if (!session || session.status !== 'ACTIVE' || session.accountId !== me.accountId) throw new UnauthenticatedError();
  return { me: { ...me, sessionId: session._id }, session };
}

/**
 * Linking and removing identities need a session that authenticated recently (the tenant's
 * `reauthenticationMaxAgeSeconds`, 10 minutes unless set): else REAUTH_REQUIRED, and the
 * client confirms it is them with startReauthentication / completeReauthentication.
 */
export async function requireRecentAuthentication(
  deps: SessionDependencies,
  caller: Caller,
  options: { allowRestricted?: boolean } = {},
): Promise<SignedInWithSession> {
  const current = await currentSession(deps, caller, options);
  const tenant = await deps.tenants.findCached(current.me.tenantId);
  const maxAgeSeconds =
    (tenant ? policyOf(tenant).reauthenticationMaxAgeSeconds : undefined) ??
    STARTING_TENANT_POLICY.reauthenticationMaxAgeSeconds ??
    600;
  const age = deps.clock.now().getTime() - current.session.authenticatedAt.getTime();
  if (age > maxAgeSeconds * 1000) {
    throw new DomainError('REAUTH_REQUIRED', 'Confirm it is you first: this needs a recent sign-in.', 403, { maxAgeSeconds });
  }
  return current;
}

/** The owner's session proved itself again just now. */
export async function markReauthenticated(
  deps: Pick<SessionDependencies, 'sessions'>,
  tenantId: TenantId,
  owner: FlowOwner,
  now: Date,
): Promise<SessionDocument> {
  const session = await deps.sessions.change(tenantId, owner.sessionId, (current) =>
    current.status === 'ACTIVE' && current.accountId === owner.accountId
      ? { changes: { authenticatedAt: now }, events: [] }
      : undefined,
  );
  if (!session || session.status !== 'ACTIVE') throw new UnauthenticatedError();
  return session;
}
