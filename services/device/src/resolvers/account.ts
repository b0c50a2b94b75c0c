import { asTenantId } from '@messngr/kit/core';
import type { AccountResolvers } from '../generated/resolvers-types';
import type { DeviceRepository } from '../persistence/device.repository';
import { listDevices } from '../use-cases/list-devices';

export function accountResolvers(devices: DeviceRepository): AccountResolvers {
  return {
    __resolveReference: (reference) => reference,
    // An empty list, not an error, for other callers: it reveals nothing about the account.
    devices: (account, { includeRevoked }, { caller }) =>
      listDevices(
        devices,
        caller,
        { tenantId: asTenantId(account.tenantId), id: account.id },
        { includeRevoked: includeRevoked === true },
      ),
  };
}
