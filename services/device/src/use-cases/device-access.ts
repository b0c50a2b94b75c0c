import { canReadAccount, isPlatformAdmin, type Caller } from '@messngr/kit';
import type { DeviceDocument } from '../persistence/device.model';
import type { DeviceRepository } from '../persistence/device.repository';

/**
 * The device if the caller may see it; null alike for "absent" and "not yours". Platform
 * administrators look across tenants; everyone else only within their own tenant.
 */
export async function findReadableDevice(
  devices: Pick<DeviceRepository, 'findById' | 'findByIdInAnyTenant'>,
  caller: Caller,
  id: string,
): Promise<DeviceDocument | null> {
  let device: DeviceDocument | null = null;
  if (isPlatformAdmin(caller)) device = await devices.findByIdInAnyTenant(id);
  else if (caller.tenantId) device = await devices.findById(caller.tenantId, id);
  return device && canReadAccount(caller, device.tenantId, device.accountId) ? device : null;
}
