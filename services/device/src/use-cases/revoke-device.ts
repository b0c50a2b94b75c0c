import { requireAuthenticated, type Caller } from '@messngr/kit/auth';
import type { Clock } from '@messngr/kit/core';
import { BadUserInputError, NotFoundError } from '@messngr/kit/errors';
import { decideRevocation, revocationReason, type Revocation } from '../domain/device-revocation';
import { deviceRevoked } from '../events/device-events-publisher';
import type { DeviceDocument } from '../persistence/device.model';
import type { DeviceRepository } from '../persistence/device.repository';
import { isOwnDevice } from './device-access';

export interface RevokeDeviceCommand {
  deviceId: string;
  /** What the owner says about it (e.g. "lost"); optional. */
  reason?: string | null;
}

export interface RevokeDeviceDependencies {
  devices: Pick<DeviceRepository, 'change'>;
  clock: Clock;
}

/**
 * The owner revokes one of its own devices (revokeDevice, `DELETE /api/account/devices/:id`):
 * one guarded write sets the revocation and puts `device.device.revoked` in the device's outbox.
 * A device revoked already is answered as it is, with its first revocation, and publishes
 * nothing. The session the device is bound to lives on: ending it belongs to the identity
 * subgraph and comes with a later change.
 * Errors: UNAUTHENTICATED without a signed-in caller; BAD_USER_INPUT (field `reason`);
 * NOT_FOUND for an unknown id and for a device of any other account.
 */
export async function revokeDevice(
  deps: RevokeDeviceDependencies,
  caller: Caller,
  command: RevokeDeviceCommand,
): Promise<DeviceDocument> {
  const owner = requireAuthenticated(caller);
  const given = revocationReason(command.reason);
  if ('problem' in given) throw new BadUserInputError(given.problem, { field: 'reason' });
  const revocation: Revocation = {
    revokedAt: deps.clock.now(),
    revokedBy: { kind: 'OWNER', accountId: owner.accountId },
    revocationReason: given.reason,
  };
  const actor = { id: owner.accountId, type: 'account' as const, clientIp: owner.clientIp, userAgent: owner.userAgent };
  const device = await deps.devices.change(owner.tenantId, command.deviceId, (current) => {
    // Checked on the very document the write is guarded by.
    if (!isOwnDevice(owner, current)) throw new NotFoundError('Device');
    const decided = decideRevocation(current, revocation);
    return decided && { changes: decided, events: [deviceRevoked(current, decided, actor)] };
  });
  if (!device) throw new NotFoundError('Device');
  return device;
}
