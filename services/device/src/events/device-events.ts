import { createEvent, type EventEnvelope } from '@messngr/kit';
import type { DeviceDocument } from '../persistence/device.model';

export interface DeviceRegisteredData {
  device: { id: string; accountId: string; name: string; platform: string; registeredAt: string };
}

/** Keyed by the account, so one account's device events stay in order. */
export function deviceRegistered(
  device: DeviceDocument | Omit<DeviceDocument, 'version' | 'pendingEvents' | 'outboxPending'>,
  actorId: string,
): EventEnvelope<DeviceRegisteredData> {
  return createEvent({
    service: 'device',
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
