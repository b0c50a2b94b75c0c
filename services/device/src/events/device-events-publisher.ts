import { DeviceHandshakeCompleted, DeviceRegistered, DeviceRevoked } from '@messngr/contracts';
import { actorFields, createEvent, type EventActor } from '@messngr/kit/events';
import type { NewAggregate } from '@messngr/kit/mongo';
import type { Revocation } from '../domain/device-revocation';
import type { DeviceDocument } from '../persistence/device.model';

/** The device as its events carry it: never key material, nor the session it is bound to. */
function deviceData(device: NewAggregate<DeviceDocument>) {
  return {
    id: device._id,
    accountId: device.accountId,
    name: device.name,
    platform: device.platform,
    registeredAt: device.registeredAt.toISOString(),
  };
}

/** Keyed by the account (the contract says so), so one account's device events stay in order. Carries no key material. */
export function deviceRegistered(device: NewAggregate<DeviceDocument>, actorId: string) {
  return createEvent(DeviceRegistered, {
    subject: device._id,
    tenantId: device.tenantId,
    accountId: device.accountId,
    actor: { id: actorId, type: 'account' },
    time: device.registeredAt,
    data: { device: deviceData(device) },
  });
}

/** At the revocation's time, keyed by the account like every device event. */
export function deviceRevoked(device: NewAggregate<DeviceDocument>, revocation: Revocation, actor: EventActor) {
  return createEvent(DeviceRevoked, {
    subject: device._id,
    tenantId: device.tenantId,
    accountId: device.accountId,
    ...actorFields(actor),
    time: revocation.revokedAt,
    data: { device: deviceData(device), reason: revocation.revocationReason, revokedBy: revocation.revokedBy },
  });
}

/** The device proved its key; where from is in the envelope (the caller the gateway vouched for). No nonce, no signature. */
export function deviceHandshakeCompleted(device: NewAggregate<DeviceDocument>, at: Date, actor: EventActor) {
  return createEvent(DeviceHandshakeCompleted, {
    subject: device._id,
    tenantId: device.tenantId,
    accountId: device.accountId,
    ...actorFields(actor),
    time: at,
    data: { device: deviceData(device), handshakeAt: at.toISOString() },
  });
}
