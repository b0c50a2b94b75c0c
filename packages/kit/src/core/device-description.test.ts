import { checkAppVersion, checkDeviceDescription, DEVICE_NAME_LENGTH } from './device-description';
import { displayTextProblem, normalizeDisplayText } from './display-text';

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
    expect(checkAppVersion(undefined)).toEqual({ value: null });
    expect(checkAppVersion(null)).toEqual({ value: null });
    expect(checkAppVersion(' 4.2.1 ')).toEqual({ value: '4.2.1' });
    expect(checkAppVersion('v'.repeat(32))).toEqual({ value: 'v'.repeat(32) });
  });

  it.each([
    ['blank', '  '],
    ['longer than 32 characters', '1'.repeat(33)],
    ['with a line break inside', '4.2\n.1'],
    ['with a control character', '4.2.1\u0000'],
  ])('refuses an app version %s', (_what, raw) => {
    expect(checkAppVersion(raw)).toEqual({ problem: expect.stringMatching(/^appVersion /) });
  });

  it('checks a whole device description, naming the first bad field under the given prefix', () => {
    const x = '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo';
    expect(
      checkDeviceDescription({ name: ' Pixel  8 ', appVersion: ' 4.2 ', publicKey: { kty: 'OKP', crv: 'Ed25519', x } }),
    ).toEqual({
      description: { name: 'Pixel 8', appVersion: '4.2', publicKey: { kty: 'OKP', crv: 'Ed25519', x } },
    });
    expect(checkDeviceDescription({ name: 'Pixel 8' })).toEqual({
      description: { name: 'Pixel 8', appVersion: null, publicKey: null },
    });
    expect(checkDeviceDescription({ name: ' ' }, 'device.')).toMatchObject({
      field: 'device.name',
      problem: expect.stringMatching(/^device\.name /),
    });
    expect(checkDeviceDescription({ name: 'P', appVersion: '' }, 'device.')).toMatchObject({ field: 'device.appVersion' });
    expect(checkDeviceDescription({ name: 'P', publicKey: { kty: 'RSA' } })).toMatchObject({ field: 'publicKey.kty' });
  });
});
