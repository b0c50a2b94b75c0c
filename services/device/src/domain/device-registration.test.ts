import { deviceNameProblem, normalizeDeviceName, publicKeyFingerprint } from './device-registration';

describe('device registration rules', () => {
  it('normalizes names and refuses empty, long or control-character names', () => {
    expect(normalizeDeviceName('  Pixel   8 ')).toBe('Pixel 8');
    expect(deviceNameProblem('Pixel 8')).toBeUndefined();
    expect(deviceNameProblem('')).toBeDefined();
    expect(deviceNameProblem('x'.repeat(65))).toBeDefined();
    expect(deviceNameProblem('bad\u0007name')).toBeDefined();
  });

  it('fingerprints a key as SHA-256 hex, ignoring surrounding white space', () => {
    expect(publicKeyFingerprint('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(publicKeyFingerprint('\nabc  ')).toBe(publicKeyFingerprint('abc'));
  });
});
