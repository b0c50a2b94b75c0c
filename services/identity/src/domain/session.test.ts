import { decideRefresh, newFamily, REFRESH_GRACE_MS, rotationChanges, type RefreshFamily } from './session';

const T0 = new Date('2026-12-01T10:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const lifetimes = { idleMs: 14 * 86_400_000, absoluteMs: 90 * 86_400_000 };
const sealed = { keyId: 'k', iv: 'iv', tag: 'tag', ciphertext: 'c' };

/** The family after the tokens with `hashes` were each presented and rotated, in order (generation = index). */
function rotated(hashes: string[], now: Date): RefreshFamily {
  let family = newFamily(hashes[0]!, T0, lifetimes);
  for (let generation = 0; generation < hashes.length - 1; generation += 1) {
    const changes = rotationChanges({ hash: hashes[generation]!, generation }, hashes[generation + 1]!, sealed, now, lifetimes.idleMs);
    const history = { ...family.history };
    for (const [path, value] of Object.entries(changes)) {
      if (path.startsWith('refresh.history.')) history[path.slice('refresh.history.'.length)] = value as string;
    }
    family = {
      ...family,
      hash: changes['refresh.hash'] as string,
      previousHash: changes['refresh.previousHash'] as string,
      history,
      rotatedAt: changes['refresh.rotatedAt'] as Date,
      sealedCurrent: sealed,
      idleExpiresAt: changes['refresh.idleExpiresAt'] as Date,
    };
  }
  return family;
}

const active = (refresh: RefreshFamily) => ({ status: 'ACTIVE' as const, refresh });

describe('what a presented refresh token means', () => {
  it('rotates the current token', () => {
    expect(decideRefresh(active(rotated(['a', 'b'], T0)), 'b', at(1_000))).toEqual({ kind: 'rotate' });
  });

  it('gives the predecessor the same successor within the grace, and treats it as a reuse after', () => {
    const family = rotated(['a', 'b'], T0);
    expect(decideRefresh(active(family), 'a', at(REFRESH_GRACE_MS))).toEqual({ kind: 'grace' });
    expect(decideRefresh(active(family), 'a', at(REFRESH_GRACE_MS + 1))).toEqual({ kind: 'reuse' });
  });

  it('recognises any of the last 16 replaced tokens as a reuse, and older ones only as unknown', () => {
    const hashes = Array.from({ length: 20 }, (_, i) => `h${i}`);
    const family = rotated(hashes, T0);
    expect(decideRefresh(active(family), 'h3', at(60_000))).toEqual({ kind: 'reuse' });
    expect(decideRefresh(active(family), 'h17', at(60_000))).toEqual({ kind: 'reuse' });
    expect(decideRefresh(active(family), 'h2', at(60_000))).toEqual({ kind: 'refuse', because: 'unknown' });
    expect(decideRefresh(active(family), 'forged', at(60_000))).toEqual({ kind: 'refuse', because: 'unknown' });
  });

  it('refuses everything once the session ended or expired (idle or absolute)', () => {
    const family = rotated(['a', 'b'], T0);
    expect(decideRefresh({ status: 'REVOKED', refresh: family }, 'b', at(1_000))).toEqual({ kind: 'refuse', because: 'revoked' });
    expect(decideRefresh(active(family), 'b', at(lifetimes.idleMs + 1))).toEqual({ kind: 'refuse', because: 'expired' });
    const busy = { ...family, idleExpiresAt: at(lifetimes.absoluteMs + 86_400_000) };
    expect(decideRefresh(active(busy), 'b', at(lifetimes.absoluteMs))).toEqual({ kind: 'refuse', because: 'expired' });
  });

  it('starts a family whose idle expiry never passes its absolute one', () => {
    const short = newFamily('a', T0, { idleMs: 10 * 86_400_000, absoluteMs: 86_400_000 });
    expect(short.idleExpiresAt).toEqual(short.absoluteExpiresAt);
  });
});
