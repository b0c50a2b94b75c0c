import { displayTextProblem, normalizeDisplayText } from '@messngr/kit';
import { DEVICE_NAME_LENGTH, publicKeyFingerprint } from './device-registration';

describe('device registration rules', () => {
  it('normalizes names and refuses empty, long or control-character names', () => {
    expect(normalizeDisplayText('  Pixel   8 ')).toBe('Pixel 8');
    expect(displayTextProblem('Pixel 8', DEVICE_NAME_LENGTH)).toBeUndefined();
    expect(displayTextProblem('', DEVICE_NAME_LENGTH)).toBeDefined();
    expect(displayTextProblem('x'.repeat(65), DEVICE_NAME_LENGTH)).toBeDefined();
    expect(displayTextProblem('bad\u0007name', DEVICE_NAME_LENGTH)).toBeDefined();
  });

  it('fingerprints a key as SHA-256 hex, ignoring surrounding white space', () => {
    expect(publicKeyFingerprint('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(publicKeyFingerprint('\nabc  ')).toBe(publicKeyFingerprint('abc'));
  });
});
