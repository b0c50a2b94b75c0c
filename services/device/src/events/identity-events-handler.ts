import type { HandlersOf } from '@messngr/contracts';
import { asTenantId, jwkThumbprint, type Clock } from '@messngr/kit/core';
import { PermanentEventError, sequenceOf } from '@messngr/kit/events';
import type { Logger } from '@messngr/kit/logging';
import { isDuplicateKeyError } from '@messngr/kit/mongo';
import type { DeviceMetrics } from '../device-metrics';
import { deviceRegistered } from './device-events-publisher';
import type { MessagingEventType } from './messaging-events-handler';
import type { AccountReplicaRepository } from '../persistence/account-replica.repository';
import type { DeviceSlotRepository } from '../persistence/device-slot.repository';
import type { DeviceRepository } from '../persistence/device.repository';
import { claimDeviceSlot, releaseDeviceSlot } from '../use-cases/device-slot-claims';
import { revokeSessionDevices } from '../use-cases/revoke-session-devices';

/**
 * Learns which tenant each account belongs to from identity.account.created, registers
 * the device a client named at sign-in, bound to its session (idempotent: the device's id
 * comes with the event; like registerDevice it takes one of the account's slots first, and
 * beyond the cap the session lives on without a device, logged and counted), and revokes the devices bound to a session that ended early
 * (idempotent by state: a device revoked already stays as it was).
 */
export function identityEventsHandler(deps: {
  accounts: Pick<AccountReplicaRepository, 'applyIfNewer'>;
  devices: Pick<DeviceRepository, 'insert' | 'boundToSession' | 'change' | 'findById' | 'byIds'>;
  slots: Pick<DeviceSlotRepository, 'ofAccount' | 'claim' | 'release'>;
  maxActiveDevices: number;
  clock: Clock;
  logger: Pick<Logger, 'warn'>;
  metrics: DeviceMetrics;
}): Omit<HandlersOf<'device'>, MessagingEventType> {
  return {
    'identity.account.created': async (event) => {
      const { account } = event.data;
      if (account.tenantId !== event.tenantid) {
        throw new PermanentEventError(`event ${event.id} names another tenant than its tenantid`);
      }
      await deps.accounts.applyIfNewer({ _id: account.id, tenantId: asTenantId(account.tenantId), sequence: sequenceOf(event) });
    },
    'identity.session.started': async (event) => {
      const { session, device } = event.data;
      if (!device) return;
      if (session.tenantId !== event.tenantid)
        throw new PermanentEventError(`event ${event.id} names another tenant than its tenantid`);
      const tenantId = asTenantId(session.tenantId);
      if (await deps.devices.findById(tenantId, device.id)) return;
      const slot = await claimDeviceSlot(deps, { tenantId, accountId: session.accountId, deviceId: device.id }, deps.clock.now());
      if (slot === null) {
        deps.metrics.registration('SIGN_IN', 'DEVICE_LIMIT_REACHED');
        deps.logger.warn(
          { tenantId, accountId: session.accountId, sessionId: session.id, deviceId: device.id },
          'device named at sign-in not registered: the account has the most active devices it may have',
        );
        return;
      }
      const registered = {
        _id: device.id,
        tenantId,
        accountId: session.accountId,
        name: device.name,
        platform: device.platform,
        appVersion: device.appVersion ?? null,
        publicKey: device.publicKey ?? null,
        publicKeyFingerprint: device.publicKey ? jwkThumbprint(device.publicKey) : null,
        slot,
        handshake: null,
        sessionId: session.id,
        registeredAt: new Date(session.authenticatedAt),
        lastHandshakeAt: null,
        revokedAt: null,
        revokedBy: null,
        revocationReason: null,
      };
      try {
        await deps.devices.insert(registered, [deviceRegistered(registered, session.accountId)]);
        deps.metrics.registration('SIGN_IN', 'REGISTERED');
      } catch (error) {
        // A redelivery racing the first: the device is there with a slot of its own.
        await releaseDeviceSlot(deps.slots, registered).catch(() => undefined);
        if (!isDuplicateKeyError(error)) throw error;
      }
    },
    'identity.session.revoked': async (event) => {
      const { session, reason } = event.data;
      if (session.tenantId !== event.tenantid)
        throw new PermanentEventError(`event ${event.id} names another tenant than its tenantid`);
      await revokeSessionDevices(deps, {
        tenantId: asTenantId(session.tenantId),
        sessionId: session.id,
        reason,
        endedAt: new Date(event.time),
        // Whoever ended the session revoked its devices; the device subgraph when the event names nobody.
        actor: event.actortype ? { ...(event.actorid ? { id: event.actorid } : {}), type: event.actortype } : { type: 'system' },
      });
    },
  };
}
