import type { HandlersOf } from '@messngr/contracts';
import { asTenantId } from '@messngr/kit/core';
import { PermanentEventError, sequenceOf } from '@messngr/kit/events';
import { isDuplicateKeyError } from '@messngr/kit/mongo';
import { deviceRegistered } from './device-events-publisher';
import type { AccountReplicaRepository } from '../persistence/account-replica.repository';
import type { DeviceRepository } from '../persistence/device.repository';

/**
 * Learns which tenant each account belongs to from identity.account.created, and registers
 * the device a client named at sign-in, bound to its session (idempotent: the device's id
 * comes with the event).
 */
export function identityEventsHandler(deps: {
  accounts: Pick<AccountReplicaRepository, 'applyIfNewer'>;
  devices: Pick<DeviceRepository, 'insert'>;
}): HandlersOf<'device'> {
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
      if (session.tenantId !== event.tenantid) throw new PermanentEventError(`event ${event.id} names another tenant than its tenantid`);
      const registered = {
        _id: device.id,
        tenantId: asTenantId(session.tenantId),
        accountId: session.accountId,
        name: device.name,
        platform: device.platform,
        publicKeyFingerprint: null,
        sessionId: session.id,
        registeredAt: new Date(session.authenticatedAt),
        lastHandshakeAt: null,
        revokedAt: null,
      };
      try {
        await deps.devices.insert(registered, [deviceRegistered(registered, session.accountId)]);
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
    },
  };
}
