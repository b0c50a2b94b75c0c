import { createHash } from 'node:crypto';

/** A device's public key as kept and shown: an Ed25519 public JWK (RFC 8037), nothing else. */
export interface DevicePublicKey {
  kty: 'OKP';
  crv: 'Ed25519';
  /** The 32-byte public key, base64url without padding. */
  x: string;
}

export type PublicKeyCheck = { key: DevicePublicKey } | { problem: string; field: string };

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The device key a client submits, checked (RFC 8037 §2): `kty` `OKP`, `crv` `Ed25519`, `x`
 * the 32-byte public key in unpadded base64url. A JWK carrying a private part (`d`) is refused
 * outright rather than stripped: a client that sends its private key has leaked it and must
 * make a new one. Nothing else is accepted (no RSA, no P-256, no X25519). Problems name the
 * member under `field` (`publicKey.x`; `device.publicKey.x` where the key is part of a device).
 */
export function checkDevicePublicKey(input: Record<string, unknown>, field = 'publicKey'): PublicKeyCheck {
  if (Object.hasOwn(input, 'd') && input['d'] !== undefined && input['d'] !== null) {
    return {
      problem: 'publicKey must not contain a private key (`d`): make a new key pair and send only its public part.',
      field: `${field}.d`,
    };
  }
  if (input['kty'] !== 'OKP') return { problem: 'publicKey.kty must be `OKP` (an Ed25519 key).', field: `${field}.kty` };
  if (input['crv'] !== 'Ed25519') return { problem: 'publicKey.crv must be `Ed25519`.', field: `${field}.crv` };
  const x = input['x'];
  if (typeof x !== 'string' || !BASE64URL.test(x) || x.length !== 43 || Buffer.from(x, 'base64url').length !== 32) {
    return { problem: 'publicKey.x must be 32 bytes in unpadded base64url (43 characters).', field: `${field}.x` };
  }
  // A canonical encoding only (the last character carries 4 unused bits, which must be zero), so one key has one form.
  if (Buffer.from(x, 'base64url').toString('base64url') !== x) {
    return { problem: 'publicKey.x is not canonical base64url.', field: `${field}.x` };
  }
  return { key: { kty: 'OKP', crv: 'Ed25519', x } };
}

/**
 * The key's RFC 7638 thumbprint: base64url SHA-256 of its required members in lexicographic
 * order with no white space (`{"crv":"Ed25519","kty":"OKP","x":"..."}`). Any client holding the
 * key computes the same one.
 */
export function jwkThumbprint(key: DevicePublicKey): string {
  const canonical = JSON.stringify({ crv: key.crv, kty: key.kty, x: key.x });
  return createHash('sha256').update(canonical, 'utf8').digest('base64url');
}
