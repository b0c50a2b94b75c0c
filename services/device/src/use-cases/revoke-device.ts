import { actingActor, canSupportTenant, requireAuthenticated, type Caller } from '@messngr/kit/auth';
import { asTenantId, type Clock } from '@messngr/kit/core';
import { BadUserInputError, NotFoundError } from '@messngr/kit/errors';
import { findForCaller, type ScopedReadsById } from '@messngr/kit/mongo';
import { decideRevocation, revocationReason, revokerOf, type Revocation } from '../domain/device-revocation';
import { deviceRevoked } from '../events/device-events-publisher';
import type { DeviceSlotRepository } from '../persistence/device-slot.repository';
import type { DeviceDocument } from '../persistence/device.model';
import type { DeviceRepository } from '../persistence/device.repository';
import { isOwnDevice } from './device-access';
import { releaseDeviceSlot } from './device-slot-claims';

export interface RevokeDeviceCommand {
  deviceId: string;
  /** The device's tenant, for platform support; the caller's own tenant when omitted. */
  tenantId?: string | null;
  /** Why: optional for the owner, required (3 to 200 characters) for administrators and support. */
  reason?: string | null;
}

export interface RevokeDeviceDependencies {
  devices: Pick<DeviceRepository, 'change'> & ScopedReadsById<DeviceDocument>;
  slots: Pick<DeviceSlotRepository, 'release'>;
  clock: Clock;
}

/**
 * Revokes a device (revokeDevice, `DELETE /api/account/devices/:id`): its owner, or its
 * tenant's administrators and support (`canSupportTenant`), who must say why. One guarded
 * write sets the revocation and puts `device.device.revoked` in the device's outbox; the
 * identity subgraph, reading it, ends the session bound to the device. The device's slot is
 * then freed. A device revoked already is answered as it is, with its first revocation,
 * and publishes nothing.
 * Errors: UNAUTHENTICATED without a signed-in caller; BAD_USER_INPUT (field `reason`);
 * NOT_FOUND for an unknown id and for a device the caller may not revoke (other members,
 * other tenants' staff), so the answer reveals nothing about it.
 */
export async function revokeDevice(
  deps: RevokeDeviceDependencies,
  caller: Caller,
  command: RevokeDeviceCommand,
): Promise<DeviceDocument> {
  const me = requireAuthenticated(caller);
  const given = revocationReason(command.reason);
  if ('problem' in given) throw new BadUserInputError(given.problem, { field: 'reason' });
  const found = await findForCaller(
    deps.devices,
    me,
    command.deviceId,
    command.tenantId ? asTenantId(command.tenantId) : undefined,
  );
  const mayRevoke = (device: DeviceDocument) => isOwnDevice(me, device) || canSupportTenant(me, device.tenantId);
  if (!found || !mayRevoke(found)) throw new NotFoundError('Device');

  // The owner acts as itself; anyone else needs a reason (BAD_USER_INPUT otherwise).
  const actor = actingActor(me, { tenantId: found.tenantId, accountId: found.accountId }, given.reason);
  const revocation: Revocation = {
    revokedAt: deps.clock.now(),
    revokedBy: revokerOf({ id: me.accountId, type: actor.type }),
    revocationReason: actor.reason ?? given.reason,
  };
  let changed = false;
  const device = await deps.devices.change(found.tenantId, found._id, (current) => {
    // Checked on the very document the write is guarded by.
    if (!mayRevoke(current)) throw new NotFoundError('Device');
    const decided = decideRevocation(current, revocation);
    changed = decided !== undefined;
    return decided && { changes: decided, events: [deviceRevoked(current, decided, actor)] };
  });
  if (!device) throw new NotFoundError('Device');
  if (changed) await releaseDeviceSlot(deps.slots, device);
  return device;
}
