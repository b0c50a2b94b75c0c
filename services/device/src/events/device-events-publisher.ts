import { DeviceHandshakeCompleted, DeviceRegistered, DeviceRevoked, type ActorType } from '@messngr/contracts';
import { createEvent } from '@messngr/kit/events';
import type { NewAggregate } from '@messngr/kit/mongo';
import type { Revocation } from '../domain/device-revocation';
import type { DeviceDocument } from '../persistence/device.model';

/** Who caused a change, as the envelope records it (`actorid`, `actortype`, `actorreason`, `clientip`, `useragent`). */
export interface EventActor {
  id?: string;
  type: ActorType;
  /** Why, when an administrator or support acted on someone else's device. */
  reason?: string;
  clientIp?: string;
  userAgent?: string;
}

function from(actor: EventActor) {
  return {
    actor: { ...(actor.id ? { id: actor.id } : {}), type: actor.type, ...(actor.reason ? { reason: actor.reason } : {}) },
    ...(actor.clientIp ? { clientIp: actor.clientIp } : {}),
    ...(actor.userAgent ? { userAgent: actor.userAgent } : {}),
  };
}

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
    ...from(actor),
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
    ...from(actor),
    time: at,
    data: { device: deviceData(device), handshakeAt: at.toISOString() },
  });
}
