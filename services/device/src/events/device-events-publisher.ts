import { DeviceRegistered, DeviceRevoked, type ActorType } from '@messngr/contracts';
import { createEvent } from '@messngr/kit/events';
import type { NewAggregate } from '@messngr/kit/mongo';
import type { Revocation } from '../domain/device-revocation';
import type { DeviceDocument } from '../persistence/device.model';

/** Who caused a change, as the envelope records it (`actorid`, `actortype`, `clientip`, `useragent`). */
export interface EventActor {
  id?: string;
  type: ActorType;
  clientIp?: string;
  userAgent?: string;
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
    actor: { ...(actor.id ? { id: actor.id } : {}), type: actor.type },
    ...(actor.clientIp ? { clientIp: actor.clientIp } : {}),
    ...(actor.userAgent ? { userAgent: actor.userAgent } : {}),
    time: revocation.revokedAt,
    data: { device: deviceData(device), reason: revocation.revocationReason, revokedBy: revocation.revokedBy },
  });
}
