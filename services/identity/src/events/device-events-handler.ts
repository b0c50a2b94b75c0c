import type { HandlersOf } from '@messngr/contracts';
import { asTenantId } from '@messngr/kit/core';
import type { EventActor } from '@messngr/kit/events';
import type { SessionDependencies } from '../dependencies';
import { endSession } from '../use-cases/end-sessions';

/**
 * A device revoked by its owner, an administrator or support ends the account's active
 * sessions bound to it (`deviceId`), each with reason `DEVICE_REVOKED` and its own
 * identity.session.revoked, which the gateway honours on the next request. A device revoked
 * because its session ended (`SESSION_REVOKED`) ends nothing: that session is over, and
 * answering it would only loop. Idempotent: an ended session stays as it ended.
 */
export function deviceEventsHandler(deps: SessionDependencies): Pick<HandlersOf<'identity'>, 'device.device.revoked'> {
  return {
    'device.device.revoked': async (event) => {
      const { device, revokedBy } = event.data;
      if (revokedBy.kind === 'SESSION_REVOKED') return;
      const tenantId = asTenantId(event.tenantid);
      const bound = (await deps.sessions.ofAccount(tenantId, device.accountId, false)).filter(
        (session) => session.deviceId === device.id,
      );
      // Whoever revoked the device ended its session.
      const actor: EventActor = {
        ...(event.actorid ? { id: event.actorid } : {}),
        type: event.actortype ?? 'system',
        ...(event.actorreason ? { reason: event.actorreason } : {}),
      };
      const now = deps.clock.now();
      for (const session of bound) await endSession(deps, session, 'DEVICE_REVOKED', actor, now);
    },
  };
}
