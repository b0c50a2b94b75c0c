import type { Clock, TenantId } from '@messngr/kit/core';
import { PermanentEventError } from '@messngr/kit/events';
import type { DeviceMetrics, ObservedHandshakeOutcome } from '../device-metrics';
import { deviceStatus } from '../domain/device-revocation';
import { deviceHandshakeCompleted } from '../events/device-events-publisher';
import type { DeviceDocument } from '../persistence/device.model';
import type { DeviceRepository } from '../persistence/device.repository';

/** How far ahead of this service's clock a messaging backend's handshake time may be. */
export const OBSERVED_HANDSHAKE_CLOCK_SKEW_MS = 60_000;

export interface ObservedHandshake {
  tenantId: TenantId;
  accountId: string;
  deviceId: string;
  at: Date;
  clientIp?: string | undefined;
  userAgent?: string | undefined;
}

/**
 * A handshake a messaging backend observed (`messaging.device.handshake_observed`): recorded as
 * the device's `lastHandshakeAt` with where it connected from, and published as
 * device.device.handshake_completed, unless the device is unknown, revoked, has no key, or has a
 * handshake as recent already (a redelivery, or one overtaken): those change nothing and are
 * counted. A device that is not the account's, or a time ahead of the clock, is a permanent
 * failure: the consumer parks the event.
 */
export async function recordObservedHandshake(
  deps: { devices: Pick<DeviceRepository, 'change'>; clock: Clock; metrics: DeviceMetrics },
  observed: ObservedHandshake,
): Promise<ObservedHandshakeOutcome> {
  if (observed.at.getTime() > deps.clock.now().getTime() + OBSERVED_HANDSHAKE_CLOCK_SKEW_MS) {
    throw new PermanentEventError(`handshake of ${observed.deviceId} is dated ahead of this service's clock`);
  }
  let outcome: ObservedHandshakeOutcome = 'RECORDED';
  const device = await deps.devices.change(observed.tenantId, observed.deviceId, (current) => {
    if (current.accountId !== observed.accountId) {
      throw new PermanentEventError(`device ${observed.deviceId} is not the account's named by the handshake`);
    }
    outcome = refusalOf(current, observed.at) ?? 'RECORDED';
    if (outcome !== 'RECORDED') return undefined;
    const actor = { type: 'system' as const, clientIp: observed.clientIp, userAgent: observed.userAgent };
    return {
      changes: {
        lastHandshakeAt: observed.at,
        lastHandshakeIp: observed.clientIp ?? null,
        lastHandshakeUserAgent: observed.userAgent ?? null,
      },
      events: [deviceHandshakeCompleted(current, observed.at, actor)],
    };
  });
  // Unknown here: never registered, or not yet (a device named at sign-in is registered from an event).
  if (!device) outcome = 'UNKNOWN_DEVICE';
  deps.metrics.observedHandshake(outcome);
  return outcome;
}

function refusalOf(
  device: Pick<DeviceDocument, 'revokedAt' | 'publicKey' | 'lastHandshakeAt'>,
  at: Date,
): Exclude<ObservedHandshakeOutcome, 'RECORDED'> | undefined {
  if (deviceStatus(device) === 'REVOKED') return 'DEVICE_REVOKED';
  if (!device.publicKey) return 'DEVICE_HAS_NO_KEY';
  if (device.lastHandshakeAt && device.lastHandshakeAt.getTime() >= at.getTime()) return 'STALE';
  return undefined;
}
