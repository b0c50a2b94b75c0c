import { displayTextProblem, normalizeDisplayText } from '@messngr/kit/core';
import { appVersion, DEVICE_NAME_LENGTH } from './device-registration';

describe('device registration rules', () => {
  it('normalizes names and refuses empty, long or control-character names', () => {
    expect(normalizeDisplayText('  Pixel   8 ')).toBe('Pixel 8');
    expect(displayTextProblem('Pixel 8', DEVICE_NAME_LENGTH)).toBeUndefined();
    expect(displayTextProblem('x'.repeat(64), DEVICE_NAME_LENGTH)).toBeUndefined();
    expect(displayTextProblem(normalizeDisplayText('   '), DEVICE_NAME_LENGTH)).toBeDefined();
    expect(displayTextProblem('x'.repeat(65), DEVICE_NAME_LENGTH)).toBeDefined();
    expect(displayTextProblem('bad\u0007name', DEVICE_NAME_LENGTH)).toBeDefined();
  });

  it('takes an app version of 1 to 32 characters, trimmed; none when absent', () => {
    expect(appVersion(undefined)).toEqual({ value: null });
    expect(appVersion(null)).toEqual({ value: null });
    expect(appVersion(' 4.2.1 ')).toEqual({ value: '4.2.1' });
    expect(appVersion('v'.repeat(32))).toEqual({ value: 'v'.repeat(32) });
  });

  it.each([
    ['blank', '  '],
    ['longer than 32 characters', '1'.repeat(33)],
    ['with a line break inside', '4.2\n.1'],
    ['with a control character', '4.2.1\u0000'],
  ])('refuses an app version %s', (_what, raw) => {
    expect(appVersion(raw)).toEqual({ problem: expect.stringMatching(/^appVersion /) });
  });
});
