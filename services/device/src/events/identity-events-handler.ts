import type { HandlersOf } from '@messngr/contracts';
import { asTenantId } from '@messngr/kit/core';
import { PermanentEventError, sequenceOf } from '@messngr/kit/events';
import { isDuplicateKeyError } from '@messngr/kit/mongo';
import { deviceRegistered } from './device-events-publisher';
import type { AccountReplicaRepository } from '../persistence/account-replica.repository';
import type { DeviceRepository } from '../persistence/device.repository';
import { revokeSessionDevices } from '../use-cases/revoke-session-devices';

/**
 * Learns which tenant each account belongs to from identity.account.created, registers
 * the device a client named at sign-in, bound to its session (idempotent: the device's id
 * comes with the event), and revokes the devices bound to a session that ended early
 * (idempotent by state: a device revoked already stays as it was).
 */
export function identityEventsHandler(deps: {
  accounts: Pick<AccountReplicaRepository, 'applyIfNewer'>;
  devices: Pick<DeviceRepository, 'insert' | 'boundToSession' | 'change'>;
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
        revokedBy: null,
        revocationReason: null,
      };
      try {
        await deps.devices.insert(registered, [deviceRegistered(registered, session.accountId)]);
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
    },
    'identity.session.revoked': async (event) => {
      const { session, reason } = event.data;
      if (session.tenantId !== event.tenantid) throw new PermanentEventError(`event ${event.id} names another tenant than its tenantid`);
      await revokeSessionDevices(deps.devices, {
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
