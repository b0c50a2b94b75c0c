import type { SESSION_END_REASONS } from '@messngr/contracts';
import type { SealedSecret } from '@messngr/kit/core';

/** Lifecycle of a session; expiry is checked on every read, never stored. */
export type SessionStatus = 'ACTIVE' | 'REVOKED';

export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

/** The immediate predecessor of a refresh token, used again within this, gets the same successor. */
export const REFRESH_GRACE_MS = 10_000;
/**
 * The last 16 replaced refresh tokens are remembered, to recognise their reuse, each in the
 * slot of its generation. One older than that is merely unknown: refused, no revocation.
 */
export const HISTORY_SLOTS = 16;

/** The refresh-token family of a session: only hashes, and the current token sealed for the grace. */
export interface RefreshFamily {
  /** The current token's hash (base64url SHA-256 of its secret). */
  hash: string;
  /** The token it replaced, the only one the grace applies to. */
  previousHash: string | null;
  /**
   * Hashes of replaced tokens by history slot (HISTORY_SLOTS): an object written by dotted
   * path, not an array, so a rotation sets it without reading it first.
   */
  history: Record<string, string>;
  rotatedAt: Date | null;
  /** The current token itself, sealed, so a grace reuse of its predecessor gets the same one back. */
  sealedCurrent: SealedSecret | null;
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
  /** When the family last rotated: the session's "last seen". */
  lastUsedAt: Date;
}

export interface SessionLifetimes {
  /** Unused this long, the session ends (the tenant's session TTL). */
  idleMs: number;
  /** However used, the session ends this long after sign-in (the tenant's refresh-token lifetime). */
  absoluteMs: number;
}

export type RefreshDecision =
  { kind: 'rotate' } | { kind: 'grace' } | { kind: 'reuse' } | { kind: 'refuse'; because: 'revoked' | 'expired' | 'unknown' };

/**
 * What a presented refresh token means for its session (in that order): an ended session
 * refuses; the current token rotates; the one just replaced, within the grace, gets the same
 * successor; any remembered earlier one is a reuse, which revokes the whole family; anything
 * else is unknown and changes nothing.
 */
export function decideRefresh(
  session: { status: SessionStatus; refresh: RefreshFamily },
  presentedHash: string,
  now: Date,
): RefreshDecision {
  if (session.status !== 'ACTIVE') return { kind: 'refuse', because: 'revoked' };
  const { refresh } = session;
  if (isRefreshExpired(refresh, now)) return { kind: 'refuse', because: 'expired' };
  if (presentedHash === refresh.hash) return { kind: 'rotate' };
  if (
    presentedHash === refresh.previousHash &&
    refresh.rotatedAt &&
    now.getTime() - refresh.rotatedAt.getTime() <= REFRESH_GRACE_MS
  ) {
    return refresh.sealedCurrent ? { kind: 'grace' } : { kind: 'reuse' };
  }
  if (Object.values(refresh.history).includes(presentedHash)) return { kind: 'reuse' };
  return { kind: 'refuse', because: 'unknown' };
}

export function isRefreshExpired(refresh: Pick<RefreshFamily, 'idleExpiresAt' | 'absoluteExpiresAt'>, now: Date): boolean {
  return now.getTime() >= refresh.idleExpiresAt.getTime() || now.getTime() >= refresh.absoluteExpiresAt.getTime();
}

/** A new family at sign-in. */
export function newFamily(hash: string, now: Date, lifetimes: SessionLifetimes): RefreshFamily {
  const absoluteExpiresAt = new Date(now.getTime() + lifetimes.absoluteMs);
  return {
    hash,
    previousHash: null,
    history: {},
    rotatedAt: null,
    sealedCurrent: null,
    idleExpiresAt: new Date(Math.min(now.getTime() + lifetimes.idleMs, absoluteExpiresAt.getTime())),
    absoluteExpiresAt,
    lastUsedAt: now,
  };
}

/**
 * The fields a rotation sets, by dotted path, computed without reading the family: the
 * presented (current) token becomes the predecessor and enters the history slot of its
 * generation. The idle expiry may pass the absolute one; both are checked.
 */
export function rotationChanges(
  presented: { hash: string; generation: number },
  nextHash: string,
  sealedNext: SealedSecret,
  now: Date,
  idleMs: number,
): Record<`${string}.${string}`, unknown> {
  const presentedHash = presented.hash;
  const slot = presented.generation % HISTORY_SLOTS;
  return {
    'refresh.hash': nextHash,
    'refresh.previousHash': presentedHash,
    [`refresh.history.${slot}`]: presentedHash,
    'refresh.rotatedAt': now,
    'refresh.sealedCurrent': sealedNext,
    'refresh.idleExpiresAt': new Date(now.getTime() + idleMs),
    'refresh.lastUsedAt': now,
  };
}

/** The family after a rotation, from the family as read (the slow path's counterpart of rotationChanges). */
export function rotatedFamily(
  family: RefreshFamily,
  presented: { hash: string; generation: number },
  nextHash: string,
  sealedNext: SealedSecret,
  now: Date,
  idleMs: number,
): RefreshFamily {
  return {
    ...family,
    hash: nextHash,
    previousHash: presented.hash,
    history: { ...family.history, [String(presented.generation % HISTORY_SLOTS)]: presented.hash },
    rotatedAt: now,
    sealedCurrent: sealedNext,
    idleExpiresAt: new Date(now.getTime() + idleMs),
    lastUsedAt: now,
  };
}
