import { randomBytes } from 'node:crypto';
import { matchingSlot, newRecoveryCode, normalizedRecoveryCode, recoveryCodeHash } from './recovery-codes';

describe('recovery codes', () => {
  const key = randomBytes(32);

  it('look like k7m2q-x9hbt and are not repeated', () => {
    const codes = Array.from({ length: 200 }, newRecoveryCode);
    for (const code of codes) expect(code).toMatch(/^[a-hjkmnp-z2-9]{5}-[a-hjkmnp-z2-9]{5}$/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('match as typed: any case, spaces and dashes', () => {
    expect(normalizedRecoveryCode(' K7M2Q x9h-bt ')).toBe('k7m2qx9hbt');
    expect(recoveryCodeHash(key, 'acc_1', 'K7M2Q X9HBT')).toBe(recoveryCodeHash(key, 'acc_1', 'k7m2q-x9hbt'));
  });

  it('are bound to their account', () => {
    expect(recoveryCodeHash(key, 'acc_1', 'k7m2q-x9hbt')).not.toBe(recoveryCodeHash(key, 'acc_2', 'k7m2q-x9hbt'));
  });

  it('find the unused slot of a code, never a used one', () => {
    const hashes = ['a', 'b', 'c'].map((code) => recoveryCodeHash(key, 'acc_1', code));
    expect(matchingSlot({ hashes, keyId: 'k1', generatedAt: new Date() }, hashes[1] ?? '')).toBe(1);
    expect(
      matchingSlot({ hashes: [hashes[0] ?? '', '', hashes[2] ?? ''], keyId: 'k1', generatedAt: new Date() }, hashes[1] ?? ''),
    ).toBe(-1);
  });
});
