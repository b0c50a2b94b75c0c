import { DeviceRegistered } from '@messngr/contracts';
import { createEvent } from '@messngr/kit/events';
import type { NewAggregate } from '@messngr/kit/mongo';
import type { DeviceDocument } from '../persistence/device.model';

/** Keyed by the account (the contract says so), so one account's device events stay in order. Carries no key material. */
export function deviceRegistered(device: NewAggregate<DeviceDocument>, actorId: string) {
  return createEvent(DeviceRegistered, {
    subject: device._id,
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
