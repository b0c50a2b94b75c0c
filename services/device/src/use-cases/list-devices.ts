import { canReadAccount, type Caller } from '@messngr/kit/auth';
import type { TenantId } from '@messngr/kit/core';
import type { DeviceDocument } from '../persistence/device.model';
import type { DeviceRepository } from '../persistence/device.repository';

/**
 * An account's devices, newest first: the trusted ones, or all with `includeRevoked`. The
 * account itself and administrators of its tenant see them; anyone else gets an empty list
 * rather than an error, so the answer reveals nothing about the account.
 */
export function listDevices(
  devices: Pick<DeviceRepository, 'ofAccount'>,
  caller: Caller,
  account: { tenantId: TenantId; id: string },
  options: { includeRevoked: boolean },
): Promise<DeviceDocument[]> {
  if (!canReadAccount(caller, account.tenantId, account.id)) return Promise.resolve([]);
  return devices.ofAccount(account.tenantId, account.id, options);
}
