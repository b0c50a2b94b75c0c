import { ConflictError, DomainError } from '@messngr/kit/errors';
import { decideRefresh, rotationChanges } from '../domain/session';
import { sessionLifetimesOf } from '../domain/tenant-rules';
import type { SessionDependencies } from '../dependencies';
import type { SessionDocument } from '../persistence/session.model';
import { newRefreshToken, parseRefreshToken, type RefreshToken } from '../tokens/refresh-token';
import { endSession } from './end-sessions';

export interface Refreshed {
  session: SessionDocument;
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
}

const invalid = () => new DomainError('INVALID_REFRESH_TOKEN', 'The refresh token is not valid.', 401);

/**
 * Rotates a refresh token. The usual case is one guarded write that also returns the session
 * (one round trip on MongoDB, two on FerretDB) plus cached keys and tenant: nothing else is
 * read. Anything unusual (a concurrent rotation, the predecessor within the grace, a reuse,
 * an ended or expired session) reads the session and decides (domain/session.ts).
 */
export async function refreshSession(deps: SessionDependencies, command: { refreshToken: string }): Promise<Refreshed> {
  const presented = parseRefreshToken(command.refreshToken);
  if (!presented) throw invalid();
  const now = deps.clock.now();
  const tenant = await deps.tenants.findCached(presented.tenantId);
  if (!tenant) throw invalid();
  if (tenant.status !== 'ACTIVE') throw new ConflictError('TENANT_SUSPENDED', 'The tenant is suspended.');
  const next = newRefreshToken(presented.tenantId, presented.sessionId, presented.generation + 1);
  const sealedNext = deps.secretBox.seal(next.token, refreshContext(presented.sessionId));
  const changes = rotationChanges(presented, next.hash, sealedNext, now, sessionLifetimesOf(tenant).idleMs);
  const rotated = await deps.sessions.rotateIfCurrent(presented.tenantId, presented.sessionId, presented.hash, changes, now);
  if (rotated) return withAccessToken(deps, rotated, next.token);
  return slowPath(deps, presented, now);
}

async function slowPath(deps: SessionDependencies, presented: RefreshToken, now: Date): Promise<Refreshed> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const session = await deps.sessions.findById(presented.tenantId, presented.sessionId);
    if (!session) throw invalid();
    const decision = decideRefresh(session, presented.hash, now);
    switch (decision.kind) {
      case 'grace': {
        // The same successor as the rotation a moment ago gave (the client retried, or two tabs raced).
        const sealed = session.refresh.sealedCurrent;
        if (!sealed) throw invalid();
        return withAccessToken(deps, session, deps.secretBox.open(sealed, refreshContext(session._id)));
      }
      case 'reuse':
        await endSession(deps, session, 'REFRESH_TOKEN_REUSED', { type: 'system' }, now);
        throw new DomainError('REFRESH_TOKEN_REUSED', 'A used refresh token came back: the session was revoked.', 401);
      case 'refuse':
        throw invalid();
      case 'rotate':
        // Another request with this token holds its rotation right now: wait for it, then it is the grace case.
        await new Promise((resolve) => setTimeout(resolve, 10 + attempt * 5));
        break;
      default: {
        const unreachable: never = decision;
        throw new Error(`unknown decision ${JSON.stringify(unreachable)}`);
      }
    }
  }
  throw invalid();
}

async function withAccessToken(deps: SessionDependencies, session: SessionDocument, refreshToken: string): Promise<Refreshed> {
  const access = await deps.tokens.issue({
    tenantId: session.tenantId,
    accountId: session.accountId,
    sessionId: session._id,
    roles: session.roles,
    clientId: session.clientId,
  });
  return { session, accessToken: access.token, accessTokenExpiresAt: access.expiresAt, refreshToken };
}

/** The current token is sealed to its session: it opens nowhere else. */
function refreshContext(sessionId: string): string {
  return `refresh-token:${sessionId}`;
}
