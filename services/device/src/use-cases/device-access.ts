import { canReadAccount, type Caller } from '@messngr/kit/auth';
import { findReadable, type ScopedReadsById } from '@messngr/kit/mongo';
import type { DeviceDocument } from '../persistence/device.model';

/** A device is its account's, and its tenant's administrators'; null alike for "absent" and "not yours". */
export function findReadableDevice(devices: ScopedReadsById<DeviceDocument>, caller: Caller, id: string): Promise<DeviceDocument | null> {
  return findReadable(devices, caller, id, (device) => canReadAccount(caller, device.tenantId, device.accountId));
}
