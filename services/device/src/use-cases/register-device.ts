import { requireAuthenticated, type Caller } from '@messngr/kit/auth';
import { displayTextProblem, newId, normalizeDisplayText, type Clock } from '@messngr/kit/core';
import { findForCaller, type ScopedReadsById } from '@messngr/kit/mongo';
import { BadUserInputError, ForbiddenError, NotFoundError } from '@messngr/kit/errors';
import type { DevicePlatform } from '../domain/device-platform';
import { DEVICE_NAME_LENGTH, publicKeyFingerprint, publicKeyProblem } from '../domain/device-registration';
import { registrationAccess } from './registration-access';
import { deviceRegistered } from '../events/device-events-publisher';
import type { AccountReplicaDocument } from '../persistence/account-replica.model';
import type { DeviceDocument } from '../persistence/device.model';
import type { DeviceRepository } from '../persistence/device.repository';

export interface RegisterDeviceCommand {
  accountId?: string | null;
  name: string;
  platform: DevicePlatform;
  publicKey?: string | null;
}

export interface RegisterDeviceDependencies {
  devices: Pick<DeviceRepository, 'insert'>;
  accounts: ScopedReadsById<AccountReplicaDocument>;
  clock: Clock;
}

export async function registerDevice(
  deps: RegisterDeviceDependencies,
  caller: Caller,
  command: RegisterDeviceCommand,
): Promise<DeviceDocument> {
  const actor = requireAuthenticated(caller);
  const name = normalizeDisplayText(command.name);
  const nameProblem = displayTextProblem(name, DEVICE_NAME_LENGTH);
  if (nameProblem) throw new BadUserInputError(`name ${nameProblem}.`, { field: 'name' });
  const publicKey = command.publicKey ?? undefined;
  const keyProblem = publicKey === undefined ? undefined : publicKeyProblem(publicKey);
  if (keyProblem) throw new BadUserInputError(`publicKey ${keyProblem}.`, { field: 'publicKey' });

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
  const device = {
    _id: newId('dev', now.getTime()),
    tenantId: account.tenantId,
    accountId: account.id,
    name,
    platform: command.platform,
    publicKeyFingerprint: publicKey === undefined ? null : publicKeyFingerprint(publicKey),
    sessionId: null,
    registeredAt: now,
    lastHandshakeAt: null,
    revokedAt: null,
    revokedBy: null,
    revocationReason: null,
  };
  return deps.devices.insert(device, [deviceRegistered(device, actor.accountId)]);
}
