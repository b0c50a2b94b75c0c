import {
  BadUserInputError,
  canReadAccount,
  displayTextProblem,
  normalizeDisplayText,
  newId,
  NotFoundError,
  ForbiddenError,
  requireAuthenticated,
  type Caller,
  type Clock,
} from '@messngr/kit';
import type { DevicePlatform } from '../domain/device-platform';
import { DEVICE_NAME_LENGTH, MAX_PUBLIC_KEY_LENGTH, publicKeyFingerprint } from '../domain/device-registration';
import { deviceRegistered } from '../events/device-events';
import type { AccountReplicaRepository } from '../persistence/account-replica.repository';
import type { DeviceDocument } from '../persistence/device.model';
import type { DeviceRepository } from '../persistence/device.repository';

export interface RegisterDeviceCommand {
  accountId?: string | null;
  name: string;
  platform: DevicePlatform;
  publicKey?: string | null;
}

export async function registerDevice(
  deps: { devices: DeviceRepository; accounts: AccountReplicaRepository; clock: Clock },
  caller: Caller,
  command: RegisterDeviceCommand,
): Promise<DeviceDocument> {
  const actor = requireAuthenticated(caller);
  const name = normalizeDisplayText(command.name);
  const nameProblem = displayTextProblem(name, DEVICE_NAME_LENGTH);
  if (nameProblem) throw new BadUserInputError(`name ${nameProblem}.`, { field: 'name' });
  const publicKey = command.publicKey?.trim();
  if (publicKey !== undefined && (publicKey.length === 0 || publicKey.length > MAX_PUBLIC_KEY_LENGTH)) {
    throw new BadUserInputError(`publicKey must be 1 to ${MAX_PUBLIC_KEY_LENGTH} characters.`, { field: 'publicKey' });
  }

  const accountId = command.accountId ?? actor.accountId;
  const account = await deps.accounts.findById(accountId);
  if (!account || !canReadAccount(actor, account.tenantId, account._id)) {
    // Accounts of other tenants answer like absent ones: nothing about them is revealed.
    if (account?.tenantId === actor.tenantId) {
      throw new ForbiddenError('Only the account itself or an administrator of its tenant may register its devices.');
    }
    throw new NotFoundError('Account');
  }

  const now = deps.clock.now();
  const device = {
    _id: newId('dev', now.getTime()),
    tenantId: account.tenantId,
    accountId: account._id,
    name,
    platform: command.platform,
    publicKeyFingerprint: publicKey === undefined ? null : publicKeyFingerprint(publicKey),
    registeredAt: now,
    lastHandshakeAt: null,
    revokedAt: null,
  };
  return deps.devices.insert(device, [deviceRegistered(device, actor.accountId)]);
}
