import type { HandlersOf } from '@messngr/contracts';
import { asTenantId, type Clock } from '@messngr/kit/core';
import { PermanentEventError } from '@messngr/kit/events';
import type { Logger } from '@messngr/kit/logging';
import type { DeviceMetrics } from '../device-metrics';
import type { DeviceRepository } from '../persistence/device.repository';
import { recordObservedHandshake } from '../use-cases/observed-handshake';

export type MessagingEventType = 'messaging.device.handshake_observed';

/** Handshakes a messaging backend that terminates device connections observed, recorded on the devices. */
export function messagingEventsHandler(deps: {
  devices: Pick<DeviceRepository, 'change'>;
  clock: Clock;
  logger: Pick<Logger, 'info'>;
  metrics: DeviceMetrics;
}): Pick<HandlersOf<'device'>, MessagingEventType> {
  return {
    'messaging.device.handshake_observed': async (event) => {
      if (!event.accountid) throw new PermanentEventError(`event ${event.id} names no account`);
      const observed = {
        tenantId: asTenantId(event.tenantid),
        accountId: event.accountid,
        deviceId: event.data.deviceId,
        at: new Date(event.data.handshakeAt),
        clientIp: event.clientip,
        userAgent: event.useragent,
      };
      const outcome = await recordObservedHandshake(deps, observed);
      if (outcome !== 'RECORDED') {
        deps.logger.info(
          { tenantId: observed.tenantId, deviceId: observed.deviceId, outcome },
          'observed handshake not recorded',
        );
      }
    },
  };
}
