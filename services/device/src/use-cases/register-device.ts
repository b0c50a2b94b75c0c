import { requireAuthenticated, type Caller } from '@messngr/kit/auth';
import { checkDeviceDescription, jwkThumbprint, newId, type Clock, type DeviceDescriptionInput } from '@messngr/kit/core';
import { findForCaller, type ScopedReadsById } from '@messngr/kit/mongo';
import { BadUserInputError, DomainError, ForbiddenError, NotFoundError } from '@messngr/kit/errors';
import type { DeviceMetrics } from '../device-metrics';
import type { DevicePlatform } from '../domain/device-platform';
import { registrationAccess } from './registration-access';
import { deviceRegistered } from '../events/device-events-publisher';
import type { AccountReplicaDocument } from '../persistence/account-replica.model';
import type { DeviceDocument } from '../persistence/device.model';
import type { DeviceRepository } from '../persistence/device.repository';
import { claimDeviceSlot, releaseDeviceSlot, type SlotDependencies } from './device-slot-claims';

export interface RegisterDeviceCommand extends DeviceDescriptionInput {
  accountId?: string | null;
  platform: DevicePlatform;
}

export interface RegisterDeviceDependencies extends SlotDependencies {
  devices: Pick<DeviceRepository, 'insert' | 'byIds'>;
  accounts: ScopedReadsById<AccountReplicaDocument>;
  clock: Clock;
  metrics: DeviceMetrics;
}

export class DeviceLimitReachedError extends DomainError {
  constructor(max: number) {
    super('DEVICE_LIMIT_REACHED', `The account has ${max} active devices, the most it may have; revoke one first.`, 409, { max });
  }
}

/**
 * registerDevice: checks the input, who may register for the account, then claims one of the
 * account's active-device slots before inserting the device (DEVICE_LIMIT_REACHED when all are
 * held), so the cap holds however many registrations race. A failed insert frees its slot.
 */
export async function registerDevice(
  deps: RegisterDeviceDependencies,
  caller: Caller,
  command: RegisterDeviceCommand,
): Promise<DeviceDocument> {
  const actor = requireAuthenticated(caller);
  const checked = checkDeviceDescription(command);
  if ('problem' in checked) throw new BadUserInputError(checked.problem, { field: checked.field });
  const { name, appVersion, publicKey } = checked.description;

  // Looked up in the caller's tenant (across tenants for platform administrators): the
  // account's tenant comes from the replica, never from the caller's input.
  const replica = await findForCaller(deps.accounts, actor, command.accountId ?? actor.accountId);
  const account = replica && { id: replica._id, tenantId: replica.tenantId };
  const access = registrationAccess(actor, account);
  if (access === 'forbidden') {
    throw new ForbiddenError('Only the account itself or an administrator of its tenant may register its devices.');
  }
  if (!account || access !== 'allowed') throw new NotFoundError('Account');

  const now = deps.clock.now();
  const id = newId('dev', now.getTime());
  const slot = await claimDeviceSlot(deps, { tenantId: account.tenantId, accountId: account.id, deviceId: id }, now);
  if (slot === null) {
    deps.metrics.registration('API', 'DEVICE_LIMIT_REACHED');
    throw new DeviceLimitReachedError(deps.maxActiveDevices);
  }
  const device = {
    _id: id,
    tenantId: account.tenantId,
    accountId: account.id,
    name,
    platform: command.platform,
    appVersion,
    publicKey,
    publicKeyFingerprint: publicKey ? jwkThumbprint(publicKey) : null,
    slot,
    sessionId: null,
    registeredAt: now,
    lastHandshakeAt: null,
    handshake: null,
    revokedAt: null,
    revokedBy: null,
    revocationReason: null,
  };
  try {
    const inserted = await deps.devices.insert(device, [deviceRegistered(device, actor.accountId)]);
    deps.metrics.registration('API', 'REGISTERED');
    return inserted;
  } catch (error) {
    await releaseDeviceSlot(deps.slots, device).catch(() => undefined);
    throw error;
  }
}
