import type { TenantId } from '@messngr/kit/core';
import type { EventActor } from '@messngr/kit/events';
import { decideRevocation, type Revocation, type SessionEndReason } from '../domain/device-revocation';
import { deviceRevoked } from '../events/device-events-publisher';
import type { DeviceSlotRepository } from '../persistence/device-slot.repository';
import type { DeviceDocument } from '../persistence/device.model';
import type { DeviceRepository } from '../persistence/device.repository';
import { releaseDeviceSlot } from './device-slot-claims';

export interface SessionEnd {
  tenantId: TenantId;
  sessionId: string;
  reason: SessionEndReason;
  /** When the session ended (its event's time): the devices' revocation time. */
  endedAt: Date;
  /** Who ended it, as its event says; the devices' revocations are theirs. */
  actor: EventActor;
}

/**
 * A session that ends early takes the devices bound to it along: each is revoked in its own
 * guarded write with its `device.device.revoked` in its outbox (`SESSION_REVOKED`, which the
 * identity subgraph does not answer by ending sessions again), and its slot is freed.
 * Idempotent by state: a redelivered event, or a device revoked already (by its owner, or
 * because it was revoked first and the session ended for that), changes nothing.
 * The devices revoked by this call.
 */
export async function revokeSessionDevices(
  deps: { devices: Pick<DeviceRepository, 'boundToSession' | 'change'>; slots: Pick<DeviceSlotRepository, 'release'> },
  end: SessionEnd,
): Promise<DeviceDocument[]> {
  const bound = await deps.devices.boundToSession(end.tenantId, end.sessionId);
  const revocation: Revocation = {
    revokedAt: end.endedAt,
    revokedBy: { kind: 'SESSION_REVOKED', sessionId: end.sessionId, sessionEndReason: end.reason },
    revocationReason: null,
  };
  const revoked: DeviceDocument[] = [];
  for (const candidate of bound) {
    let changed = false;
    const device = await deps.devices.change(end.tenantId, candidate._id, (current) => {
      const decided = decideRevocation(current, revocation);
      changed = decided !== undefined;
      return decided && { changes: decided, events: [deviceRevoked(current, decided, end.actor)] };
    });
    if (device && changed) {
      await releaseDeviceSlot(deps.slots, device);
      revoked.push(device);
    }
  }
  return revoked;
}
