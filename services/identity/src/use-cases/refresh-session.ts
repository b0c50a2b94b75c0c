import { ConflictError, DomainError } from '@messngr/kit/errors';
import { decideRefresh, rotatedFamily, rotationChanges } from '../domain/session';
import { sessionLifetimesOf } from '../domain/tenant-rules';
import type { IdentityDependencies, SessionDependencies } from '../dependencies';
import { outcomeOf } from '../identity-metrics';
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
 * Rotates a refresh token. The usual case is one write guarded by the session version the
 * token remembers (one round trip on MongoDB, two on FerretDB) plus cached keys and tenant:
 * nothing is read. Anything unusual (the session moved on meanwhile, a concurrent rotation,
 * the predecessor within the grace, a reuse, an ended or expired session) reads the session
 * and decides (domain/session.ts) in one guarded change.
 */
export async function refreshSession(
  deps: SessionDependencies & Pick<IdentityDependencies, 'metrics'>,
  command: { refreshToken: string },
): Promise<Refreshed> {
  try {
    const refreshed = await rotate(deps, command);
    deps.metrics.refresh(refreshed.outcome);
    return refreshed.result;
  } catch (error) {
    deps.metrics.refresh(outcomeOf(error));
    throw error;
  }
}

type Counted = { result: Refreshed; outcome: 'ROTATED' | 'GRACE' };

async function rotate(deps: SessionDependencies, command: { refreshToken: string }): Promise<Counted> {
  const presented = parseRefreshToken(command.refreshToken);
  if (!presented) throw invalid();
  const now = deps.clock.now();
  const tenant = await deps.tenants.findCached(presented.tenantId);
  if (!tenant) throw invalid();
  if (tenant.status !== 'ACTIVE') throw new ConflictError('TENANT_SUSPENDED', 'The tenant is suspended.');
  const idleMs = sessionLifetimesOf(tenant).idleMs;
  // A rotation adds no events: the session will be one version on.
  const next = successor(deps, presented, presented.sessionVersion + 1);
  const changes = rotationChanges(presented, next.hash, next.sealed, now, idleMs);
  const rotated = await deps.sessions.rotateIfCurrent(
    presented.tenantId,
    presented.sessionId,
    presented.sessionVersion,
    presented.hash,
    changes,
    now,
  );
  if (rotated) return { result: await withAccessToken(deps, rotated, next.token), outcome: 'ROTATED' };
  return readAndDecide(deps, presented, now, idleMs);
}

type SlowOutcome = { kind: 'rotated'; token: string } | { kind: 'grace' } | { kind: 'reuse' };

async function readAndDecide(deps: SessionDependencies, presented: RefreshToken, now: Date, idleMs: number): Promise<Counted> {
  let outcome: SlowOutcome | undefined;
  const session = await deps.sessions.change(presented.tenantId, presented.sessionId, (current) => {
    const decision = decideRefresh(current, presented.hash, now);
    switch (decision.kind) {
      case 'rotate': {
        // Written at current.version + 1, and one more once the relay has published what is pending.
        const next = successor(deps, presented, current.version + 1 + (current.pendingEvents.length > 0 ? 1 : 0));
        outcome = { kind: 'rotated', token: next.token };
        return {
          changes: { refresh: rotatedFamily(current.refresh, presented, next.hash, next.sealed, now, idleMs) },
          events: [],
        };
      }
      case 'grace':
        outcome = { kind: 'grace' };
        return undefined;
      case 'reuse':
        outcome = { kind: 'reuse' };
        return undefined;
      case 'refuse':
        throw invalid();
      default: {
        const unreachable: never = decision;
        throw new Error(`unknown decision ${JSON.stringify(unreachable)}`);
      }
    }
  });
  if (!session || !outcome) throw invalid();
  switch (outcome.kind) {
    case 'rotated':
      return { result: await withAccessToken(deps, session, outcome.token), outcome: 'ROTATED' };
    case 'grace': {
      // The same successor as the rotation a moment ago gave (the client retried, or two tabs raced).
      const sealed = session.refresh.sealedCurrent;
      if (!sealed) throw invalid();
      const token = deps.secretBox.open(sealed, refreshContext(session._id));
      return { result: await withAccessToken(deps, session, token), outcome: 'GRACE' };
    }
    case 'reuse':
      await endSession(deps, session, 'REFRESH_TOKEN_REUSED', { type: 'system' }, now);
      throw new DomainError('REFRESH_TOKEN_REUSED', 'A used refresh token came back: the session was revoked.', 401);
  }
}

/** The next token of the family, remembering the session version it will find, and sealed for the grace. */
function successor(deps: SessionDependencies, presented: RefreshToken, sessionVersion: number) {
  const next = newRefreshToken(presented.tenantId, presented.sessionId, presented.generation + 1, sessionVersion);
  return { token: next.token, hash: next.hash, sealed: deps.secretBox.seal(next.token, refreshContext(presented.sessionId)) };
}

async function withAccessToken(deps: SessionDependencies, session: SessionDocument, refreshToken: string): Promise<Refreshed> {
  const access = await deps.tokens.issue({
    tenantId: session.tenantId,
    accountId: session.accountId,
    sessionId: session._id,
    roles: session.roles,
    clientId: session.clientId,
    restricted: session.restricted ?? false,
  });
  return { session, accessToken: access.token, accessTokenExpiresAt: access.expiresAt, refreshToken };
}

/** The current token is sealed to its session: it opens nowhere else. */
function refreshContext(sessionId: string): string {
  return `refresh-token:${sessionId}`;
}
