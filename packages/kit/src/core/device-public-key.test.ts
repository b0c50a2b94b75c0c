import { generateKeyPairSync } from 'node:crypto';
import { checkDevicePublicKey, jwkThumbprint } from './device-public-key';

// RFC 8037 Appendix A.2 (the public key) and A.3 (its RFC 7638 thumbprint).
const RFC_8037_KEY = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' } as const;
const RFC_8037_THUMBPRINT = 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k';

describe('a device public key', () => {
  it('is an Ed25519 public JWK, kept as its three members', () => {
    expect(checkDevicePublicKey({ ...RFC_8037_KEY })).toEqual({ key: RFC_8037_KEY });
    const fresh = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
    expect(checkDevicePublicKey(fresh)).toEqual({ key: { kty: 'OKP', crv: 'Ed25519', x: fresh.x } });
  });

  it('shows the RFC 7638 thumbprint as its fingerprint (the RFC 8037 example)', () => {
    expect(jwkThumbprint(RFC_8037_KEY)).toBe(RFC_8037_THUMBPRINT);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a private part', { ...RFC_8037_KEY, d: 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A' }, 'publicKey.d'],
    ['an X25519 key', { ...RFC_8037_KEY, crv: 'X25519' }, 'publicKey.crv'],
    ['an RSA key', { kty: 'RSA', n: 'abc', e: 'AQAB' }, 'publicKey.kty'],
    ['a P-256 key', { kty: 'EC', crv: 'P-256', x: RFC_8037_KEY.x, y: RFC_8037_KEY.x }, 'publicKey.kty'],
    ['x of 31 bytes', { ...RFC_8037_KEY, x: Buffer.alloc(31, 1).toString('base64url') }, 'publicKey.x'],
    ['x of 33 bytes', { ...RFC_8037_KEY, x: Buffer.alloc(33, 1).toString('base64url') }, 'publicKey.x'],
    ['x with padding', { ...RFC_8037_KEY, x: `${RFC_8037_KEY.x}=` }, 'publicKey.x'],
    ['x in base64 rather than base64url', { ...RFC_8037_KEY, x: '+1qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo' }, 'publicKey.x'],
    ['x not canonical (unused bits set)', { ...RFC_8037_KEY, x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURp' }, 'publicKey.x'],
    ['x that is not a string', { ...RFC_8037_KEY, x: 42 }, 'publicKey.x'],
  ])('is refused with %s, naming the field', (_what, input, field) => {
    expect(checkDevicePublicKey(input)).toEqual({ problem: expect.any(String), field });
  });
});
