import { publishedKeysAt, rotate, signingKeyAt, type KeyTimeline } from './signing-keyring';

const T0 = new Date('2026-12-01T10:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const policy = { overlapMs: 10 * 60_000, retainMs: 20 * 60_000 };
const first: KeyTimeline = { kid: 'k1', createdAt: T0, signsFrom: T0, signsUntil: null, droppedAt: null };

describe('rotating a tenant’s signing keys', () => {
  it('publishes the next key at once and lets it sign only after the overlap', () => {
    const { keys } = rotate([first], { kid: 'k2' }, at(1_000), policy);
    expect(
      publishedKeysAt(keys, at(1_000))
        .map((key) => key.kid)
        .sort(),
    ).toEqual(['k1', 'k2']);
    expect(signingKeyAt(keys, at(1_000 + policy.overlapMs - 1))?.kid).toBe('k1');
    expect(signingKeyAt(keys, at(1_000 + policy.overlapMs))?.kid).toBe('k2');
  });

  it('keeps the retired key published for the retention after it stopped signing, then drops it', () => {
    const { keys, retired } = rotate([first], { kid: 'k2' }, at(0), policy);
    expect(retired).toMatchObject({
      kid: 'k1',
      signsUntil: at(policy.overlapMs),
      droppedAt: at(policy.overlapMs + policy.retainMs),
    });
    expect(publishedKeysAt(keys, at(policy.overlapMs + policy.retainMs - 1)).map((key) => key.kid)).toContain('k1');
    expect(publishedKeysAt(keys, at(policy.overlapMs + policy.retainMs)).map((key) => key.kid)).toEqual(['k2']);
  });

  it('always has exactly one signing key through a rotation', () => {
    const { keys } = rotate([first], { kid: 'k2' }, at(0), policy);
    for (let t = 0; t <= policy.overlapMs + policy.retainMs + 60_000; t += 30_000) {
      expect(signingKeyAt(keys, at(t))).toBeDefined();
    }
  });

  it('supersedes a pending key: it never signs, yet stays published as long as the key it was to replace', () => {
    const once = rotate([first], { kid: 'k2' }, at(0), policy).keys;
    const { keys: twice, retired } = rotate(once, { kid: 'k3' }, at(60_000), policy);
    expect(retired?.kid).toBe('k1');
    const k2 = twice.find((key) => key.kid === 'k2');
    expect(k2).toMatchObject({
      signsFrom: at(policy.overlapMs),
      signsUntil: at(policy.overlapMs),
      droppedAt: retired?.droppedAt,
    });
    for (let t = 60_000; t <= 60_000 + policy.overlapMs + policy.retainMs + 60_000; t += 15_000) {
      expect(signingKeyAt(twice, at(t))?.kid).not.toBe('k2');
    }
    expect(signingKeyAt(twice, at(policy.overlapMs))?.kid).toBe('k1');
    expect(signingKeyAt(twice, at(60_000 + policy.overlapMs))?.kid).toBe('k3');
    // A signer still holding the keyring from before the second rotation signs with k2 from its
    // time on; the JWKS of the new keyring still has k2 as long as such tokens live.
    expect(signingKeyAt(once, at(policy.overlapMs))?.kid).toBe('k2');
    expect(publishedKeysAt(twice, at(policy.overlapMs + policy.retainMs)).map((key) => key.kid)).toContain('k2');
  });

  it('leaves a superseded key as it is on the next rotation, and forgets dropped ones', () => {
    const once = rotate([first], { kid: 'k2' }, at(0), policy).keys;
    const twice = rotate(once, { kid: 'k3' }, at(60_000), policy).keys;
    expect(twice.map((key) => key.kid).sort()).toEqual(['k1', 'k2', 'k3']);
    const thrice = rotate(twice, { kid: 'k4' }, at(90_000), policy).keys;
    expect(thrice.find((key) => key.kid === 'k2')).toEqual(twice.find((key) => key.kid === 'k2'));
    expect(thrice.map((key) => key.kid).sort()).toEqual(['k1', 'k2', 'k3', 'k4']);
    const later = rotate(thrice, { kid: 'k5' }, at(3 * 3_600_000), policy).keys;
    expect(later.map((key) => key.kid).sort()).toEqual(['k4', 'k5']);
  });
});
