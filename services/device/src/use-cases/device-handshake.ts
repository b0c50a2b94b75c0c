import { randomBytes } from 'node:crypto';
import { requireAuthenticated, type AuthenticatedCaller, type Caller } from '@messngr/kit/auth';
import type { Clock } from '@messngr/kit/core';
import { DomainError, NotFoundError } from '@messngr/kit/errors';
import type { DeviceMetrics } from '../device-metrics';
import {
  HANDSHAKE_NONCE_BYTES,
  handshakeMessage,
  handshakeRefusal,
  pendingHandshake,
  type HandshakeRefusal,
} from '../domain/device-handshake';
import { deviceStatus } from '../domain/device-revocation';
import { deviceHandshakeCompleted } from '../events/device-events-publisher';
import type { DeviceDocument } from '../persistence/device.model';
import type { DeviceRepository } from '../persistence/device.repository';
import { isOwnDevice } from './device-access';

export interface HandshakeDependencies {
  devices: Pick<DeviceRepository, 'change'>;
  clock: Clock;
  metrics: DeviceMetrics;
  /** Injected for tests; 256 random bits by default. */
  nonce?: () => string;
}

export interface StartedHandshake {
  nonce: string;
  message: string;
  expiresAt: Date;
}

const REFUSALS: Record<HandshakeRefusal, string> = {
  HANDSHAKE_NONCE_UNKNOWN: 'No such handshake nonce for this device; start a new handshake.',
  HANDSHAKE_NONCE_EXPIRED: 'The handshake nonce expired; start a new handshake.',
  HANDSHAKE_NONCE_REPLAYED: 'The handshake nonce was used already; start a new handshake.',
  HANDSHAKE_SIGNATURE_INVALID: "The signature does not verify with the device's key over the message to sign.",
};

/**
 * startDeviceHandshake: a fresh single-use nonce for one of the caller's own active devices
 * with a key, and the exact message to sign. Only its hash is kept, on the device (a new
 * start replaces an unused one). Errors: NOT_FOUND (not the caller's own), DEVICE_REVOKED,
 * DEVICE_HAS_NO_KEY.
 */
export async function startDeviceHandshake(
  deps: HandshakeDependencies,
  caller: Caller,
  deviceId: string,
): Promise<StartedHandshake> {
  const me = requireAuthenticated(caller);
  const nonce = (deps.nonce ?? randomNonce)();
  const now = deps.clock.now();
  const pending = pendingHandshake(nonce, now);
  const device = await deps.devices.change(me.tenantId, deviceId, (current) => {
    usableForHandshake(me, current);
    return { changes: { handshake: pending }, events: [] };
  });
  if (!device) throw new NotFoundError('Device');
  return { nonce, message: handshakeMessage(device._id, nonce), expiresAt: pending.expiresAt };
}

/**
 * completeDeviceHandshake: the device signed the message of its pending nonce. One guarded
 * write uses the nonce, records `lastHandshakeAt` with where the caller came from, and puts
 * `device.device.handshake_completed` in the device's outbox; of two concurrent completions
 * with one nonce, the second reads it used (HANDSHAKE_NONCE_REPLAYED). A refusal leaves the
 * nonce as it was. Every outcome is counted (`device_handshakes_total`).
 */
export async function completeDeviceHandshake(
  deps: HandshakeDependencies,
  caller: Caller,
  command: { deviceId: string; nonce: string; signature: string },
): Promise<DeviceDocument> {
  const me = requireAuthenticated(caller);
  const now = deps.clock.now();
  try {
    const device = await deps.devices.change(me.tenantId, command.deviceId, (current) => {
      const publicKey = usableForHandshake(me, current);
      const refusal = handshakeRefusal({ id: current._id, publicKey, handshake: current.handshake }, command, now);
      if (refusal) throw new DomainError(refusal, REFUSALS[refusal], 403);
      const actor = { id: me.accountId, type: 'account' as const, clientIp: me.clientIp, userAgent: me.userAgent };
      return {
        changes: {
          handshake: { ...current.handshake!, consumedAt: now },
          lastHandshakeAt: now,
          lastHandshakeIp: me.clientIp ?? null,
          lastHandshakeUserAgent: me.userAgent ?? null,
        },
        events: [deviceHandshakeCompleted(current, now, actor)],
      };
    });
    if (!device) throw new NotFoundError('Device');
    deps.metrics.handshake('COMPLETED');
    return device;
  } catch (error) {
    if (error instanceof DomainError && Object.hasOwn(REFUSALS, error.code))
      deps.metrics.handshake(error.code as HandshakeRefusal);
    throw error;
  }
}

/** The caller's own active device with a key, its key; NOT_FOUND for any other device, so nothing is revealed. */
function usableForHandshake(me: AuthenticatedCaller, device: DeviceDocument) {
  if (!isOwnDevice(me, device)) throw new NotFoundError('Device');
  if (deviceStatus(device) === 'REVOKED') throw new DomainError('DEVICE_REVOKED', 'The device is revoked.', 403);
  if (!device.publicKey) {
    throw new DomainError('DEVICE_HAS_NO_KEY', 'The device registered no public key, so it cannot handshake.', 409);
  }
  return device.publicKey;
}

function randomNonce(): string {
  return randomBytes(HANDSHAKE_NONCE_BYTES).toString('base64url');
}
