import type { TenantId } from '@messngr/kit/core';
import { decideRevocation, type Revocation, type SessionEndReason } from '../domain/device-revocation';
import { deviceRevoked, type EventActor } from '../events/device-events-publisher';
import type { DeviceDocument } from '../persistence/device.model';
import type { DeviceRepository } from '../persistence/device.repository';

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
 * guarded write with its `device.device.revoked` in its outbox. Idempotent by state: a
 * redelivered event, or a device revoked already (by its owner, say), changes nothing.
 * The devices revoked by this call.
 */
export async function revokeSessionDevices(
  devices: Pick<DeviceRepository, 'boundToSession' | 'change'>,
  end: SessionEnd,
): Promise<DeviceDocument[]> {
  const bound = await devices.boundToSession(end.tenantId, end.sessionId);
  const revocation: Revocation = {
    revokedAt: end.endedAt,
    revokedBy: { kind: 'SESSION_REVOKED', sessionId: end.sessionId, sessionEndReason: end.reason },
    revocationReason: null,
  };
  const revoked: DeviceDocument[] = [];
  for (const candidate of bound) {
    let changed = false;
    const device = await devices.change(end.tenantId, candidate._id, (current) => {
      const decided = decideRevocation(current, revocation);
      changed = decided !== undefined;
      return decided && { changes: decided, events: [deviceRevoked(current, decided, end.actor)] };
    });
    if (device && changed) revoked.push(device);
  }
  return revoked;
}
