import { generateKeyPairSync, sign } from 'node:crypto';
import { checkDevicePublicKey, type DevicePublicKey } from '@messngr/kit/core';
import { HANDSHAKE_NONCE_TTL_MS, handshakeMessage, handshakeRefusal, hashNonce, pendingHandshake } from './device-handshake';

const NOW = new Date('2026-11-23T10:00:00.000Z');

function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const checked = checkDevicePublicKey(publicKey.export({ format: 'jwk' }));
  if (!('key' in checked)) throw new Error('not a key');
  return {
    key: checked.key as DevicePublicKey,
    sign: (message: string) => sign(null, Buffer.from(message), privateKey).toString('base64url'),
  };
}

describe('the device handshake', () => {
  const device = keyPair();
  const nonce = 'n0nce-n0nce-n0nce-n0nce-n0nce-n0nce-n0nce-n0';
  const challenged = { id: 'dev_1', publicKey: device.key, handshake: pendingHandshake(nonce, NOW) };

  it('signs a versioned message bound to the device and the nonce', () => {
    expect(handshakeMessage('dev_1', 'abc')).toBe('messngr-device-handshake:v1:dev_1:abc');
  });

  it('keeps only the nonce’s hash, valid for two minutes, unused', () => {
    expect(challenged.handshake).toEqual({
      nonceHash: hashNonce(nonce),
      issuedAt: NOW,
      expiresAt: new Date(NOW.getTime() + HANDSHAKE_NONCE_TTL_MS),
      consumedAt: null,
    });
    expect(JSON.stringify(challenged.handshake)).not.toContain(nonce);
  });

  it('accepts the device’s signature of the exact message, until the nonce expires', () => {
    const signature = device.sign(handshakeMessage('dev_1', nonce));
    expect(handshakeRefusal(challenged, { nonce, signature }, NOW)).toBeUndefined();
    expect(
      handshakeRefusal(challenged, { nonce, signature }, new Date(NOW.getTime() + HANDSHAKE_NONCE_TTL_MS - 1)),
    ).toBeUndefined();
    expect(handshakeRefusal(challenged, { nonce, signature }, new Date(NOW.getTime() + HANDSHAKE_NONCE_TTL_MS))).toBe(
      'HANDSHAKE_NONCE_EXPIRED',
    );
  });

  it.each([
    ['another key', () => keyPair().sign(handshakeMessage('dev_1', nonce))],
    ['an altered message', () => device.sign(handshakeMessage('dev_1', nonce) + ' ')],
    ['the message of another device', () => device.sign(handshakeMessage('dev_2', nonce))],
    ['the nonce alone', () => device.sign(nonce)],
    ['a signature that is not base64url', () => '!'.repeat(86)],
    ['a truncated signature', () => device.sign(handshakeMessage('dev_1', nonce)).slice(0, 80)],
  ])('refuses a signature by %s', (_what, signature) => {
    expect(handshakeRefusal(challenged, { nonce, signature: signature() }, NOW)).toBe('HANDSHAKE_SIGNATURE_INVALID');
  });

  it('refuses a nonce it did not issue last, and one used already (before looking at the signature)', () => {
    const signature = device.sign(handshakeMessage('dev_1', nonce));
    expect(handshakeRefusal(challenged, { nonce: `${nonce}x`, signature }, NOW)).toBe('HANDSHAKE_NONCE_UNKNOWN');
    expect(handshakeRefusal({ ...challenged, handshake: null }, { nonce, signature }, NOW)).toBe('HANDSHAKE_NONCE_UNKNOWN');
    const used = { ...challenged, handshake: { ...challenged.handshake, consumedAt: NOW } };
    expect(handshakeRefusal(used, { nonce, signature }, NOW)).toBe('HANDSHAKE_NONCE_REPLAYED');
  });
});
