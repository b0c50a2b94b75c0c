import { createHash, createPublicKey, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import type { DevicePublicKey } from '@messngr/kit/core';

/** A nonce lives this long: a device that asked for one signs it at once. */
export const HANDSHAKE_NONCE_TTL_MS = 2 * 60_000;
/** 256 random bits: far beyond guessing within the nonce's life. */
export const HANDSHAKE_NONCE_BYTES = 32;

/** The handshake a device was challenged with, kept on the device: only the nonce's hash, never the nonce. */
export interface PendingHandshake {
  /** base64url SHA-256 of the nonce. */
  nonceHash: string;
  issuedAt: Date;
  expiresAt: Date;
  /** When a completion used it; null until then. A used nonce is kept (until the next start) to tell a replay. */
  consumedAt: Date | null;
}

export type HandshakeRefusal =
  'HANDSHAKE_NONCE_UNKNOWN' | 'HANDSHAKE_NONCE_EXPIRED' | 'HANDSHAKE_NONCE_REPLAYED' | 'HANDSHAKE_SIGNATURE_INVALID';

/**
 * The exact bytes a device signs (UTF-8): versioned and bound to the device, so a signature
 * over one device's nonce proves nothing for another, nor for any other protocol's message.
 */
export function handshakeMessage(deviceId: string, nonce: string): string {
  return `messngr-device-handshake:v1:${deviceId}:${nonce}`;
}

export function hashNonce(nonce: string): string {
  return createHash('sha256').update(nonce, 'utf8').digest('base64url');
}

export function pendingHandshake(nonce: string, now: Date): PendingHandshake {
  return {
    nonceHash: hashNonce(nonce),
    issuedAt: now,
    expiresAt: new Date(now.getTime() + HANDSHAKE_NONCE_TTL_MS),
    consumedAt: null,
  };
}

/**
 * Whether a completion may use the pending handshake, checked in this order: the nonce is the
 * one issued last (compared by hash, in constant time), not used yet, not expired, and the
 * signature verifies with the device's key over `handshakeMessage`. Undefined when all hold.
 */
export function handshakeRefusal(
  device: { id: string; publicKey: DevicePublicKey; handshake: PendingHandshake | null | undefined },
  attempt: { nonce: string; signature: string },
  now: Date,
): HandshakeRefusal | undefined {
  const pending = device.handshake;
  if (!pending || !sameHash(pending.nonceHash, hashNonce(attempt.nonce))) return 'HANDSHAKE_NONCE_UNKNOWN';
  if (pending.consumedAt) return 'HANDSHAKE_NONCE_REPLAYED';
  if (now.getTime() >= pending.expiresAt.getTime()) return 'HANDSHAKE_NONCE_EXPIRED';
  if (!signatureVerifies(device.publicKey, handshakeMessage(device.id, attempt.nonce), attempt.signature)) {
    return 'HANDSHAKE_SIGNATURE_INVALID';
  }
  return undefined;
}

/** An Ed25519 signature (64 bytes, base64url) over `message` by `key`; anything malformed is simply false. */
export function signatureVerifies(key: DevicePublicKey, message: string, signature: string): boolean {
  if (!/^[A-Za-z0-9_-]{86}$/.test(signature)) return false;
  const bytes = Buffer.from(signature, 'base64url');
  if (bytes.length !== 64) return false;
  try {
    return verify(null, Buffer.from(message, 'utf8'), publicKeyObject(key), bytes);
  } catch {
    return false;
  }
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function publicKeyObject(key: DevicePublicKey): KeyObject {
  return createPublicKey({ key: { kty: key.kty, crv: key.crv, x: key.x }, format: 'jwk' });
}
