import { canReadAccount, type AuthenticatedCaller, type Caller } from '@messngr/kit/auth';
import { findReadable, type ScopedReadsById } from '@messngr/kit/mongo';
import type { DeviceDocument } from '../persistence/device.model';

/** A device is its account's, and its tenant's administrators'; null alike for "absent" and "not yours". */
export function findReadableDevice(
  devices: ScopedReadsById<DeviceDocument>,
  caller: Caller,
  id: string,
): Promise<DeviceDocument | null> {
  return findReadable(devices, caller, id, (device) => canReadAccount(caller, device.tenantId, device.accountId));
}

/**
 * Whether the device is the caller's own: the one right to revoke it for now. Administrators
 * are not owners, and another account's device answers like an absent one (NOT_FOUND), so
 * the answer reveals nothing about devices that are not the caller's.
 */
export function isOwnDevice(caller: AuthenticatedCaller, device: Pick<DeviceDocument, 'tenantId' | 'accountId'>): boolean {
  return device.tenantId === caller.tenantId && device.accountId === caller.accountId;
}
