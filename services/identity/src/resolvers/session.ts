import { isRefreshExpired } from '../domain/session';
import type { IdentityDependencies } from '../dependencies';
import type { SessionResolvers } from '../generated/resolvers-types';

export function sessionResolvers(deps: IdentityDependencies): SessionResolvers {
  return {
    id: (session) => session._id,
    current: (session, _args, { caller }) => caller.sessionId === session._id,
    status: (session) =>
      session.status === 'REVOKED' ? 'REVOKED' : isRefreshExpired(session.refresh, deps.clock.now()) ? 'EXPIRED' : 'ACTIVE',
    identityKind: (session) => session.identity.kind,
    identityDisplayValue: (session) => session.identity.displayValue,
    provider: (session) => (session.providerId ? { id: session.providerId } : null),
    lastSeenAt: (session) => session.refresh.lastUsedAt,
    expiresAt: (session) =>
      new Date(Math.min(session.refresh.idleExpiresAt.getTime(), session.refresh.absoluteExpiresAt.getTime())),
  };
}
