import { createHash } from 'node:crypto';
import { displayTextProblem, normalizeDisplayText } from '@messngr/kit/core';
import { DEVICE_NAME_LENGTH, MAX_PUBLIC_KEY_LENGTH, publicKeyFingerprint, publicKeyProblem } from './device-registration';

describe('device registration rules', () => {
  it('normalizes names and refuses empty, long or control-character names', () => {
    expect(normalizeDisplayText('  Pixel   8 ')).toBe('Pixel 8');
    expect(displayTextProblem('Pixel 8', DEVICE_NAME_LENGTH)).toBeUndefined();
    expect(displayTextProblem('x'.repeat(64), DEVICE_NAME_LENGTH)).toBeUndefined();
    expect(displayTextProblem(normalizeDisplayText('   '), DEVICE_NAME_LENGTH)).toBeDefined();
    expect(displayTextProblem('x'.repeat(65), DEVICE_NAME_LENGTH)).toBeDefined();
    expect(displayTextProblem('bad\u0007name', DEVICE_NAME_LENGTH)).toBeDefined();
  });

  it('fingerprints the key exactly as submitted as SHA-256 hex', () => {
    expect(publicKeyFingerprint('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const pem = '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n';
    expect(publicKeyFingerprint(pem)).toBe(createHash('sha256').update(pem).digest('hex'));
    expect(publicKeyFingerprint(pem)).not.toBe(publicKeyFingerprint(pem.trim()));
  });

  it('accepts keys up to 4096 characters and refuses blank or longer ones', () => {
    expect(publicKeyProblem('k')).toBeUndefined();
    expect(publicKeyProblem('k'.repeat(MAX_PUBLIC_KEY_LENGTH))).toBeUndefined();
    expect(publicKeyProblem('k'.repeat(MAX_PUBLIC_KEY_LENGTH + 1))).toBeDefined();
    expect(publicKeyProblem(' \n ')).toBeDefined();
  });
});
