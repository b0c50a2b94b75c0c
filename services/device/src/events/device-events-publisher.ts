import { createEvent, type EventEnvelope, type NewAggregate } from '@messngr/kit';
import type { DeviceDocument } from '../persistence/device.model';

export const DEVICE_SERVICE = 'device';

export interface DeviceRegisteredData {
  device: { id: string; accountId: string; name: string; platform: string; registeredAt: string };
}

/** Keyed by the account, so one account's device events stay in order. Carries no key material. */
export function deviceRegistered(device: NewAggregate<DeviceDocument>, actorId: string): EventEnvelope<DeviceRegisteredData> {
  return createEvent({
    service: DEVICE_SERVICE,
    type: 'device.device.registered',
    subject: device._id,
    partitionKey: device.accountId,
    tenantId: device.tenantId,
    accountId: device.accountId,
    actor: { id: actorId, type: 'account' },
    time: device.registeredAt,
    data: {
      device: {
        id: device._id,
        accountId: device.accountId,
        name: device.name,
        platform: device.platform,
        registeredAt: device.registeredAt.toISOString(),
      },
    },
  });
}
