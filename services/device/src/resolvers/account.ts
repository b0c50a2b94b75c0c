import { canReadAccount } from '@messngr/kit/auth';
import { asTenantId } from '@messngr/kit/core';
import type { AccountResolvers } from '../generated/resolvers-types';
import type { DeviceRepository } from '../persistence/device.repository';

export function accountResolvers(devices: DeviceRepository): AccountResolvers {
  return {
    __resolveReference: (reference) => reference,
    // An empty list, not an error, for other callers: it reveals nothing about the account.
    devices: (account, _args, { caller }) => {
      const tenantId = asTenantId(account.tenantId);
      return canReadAccount(caller, tenantId, account.id) ? devices.activeForAccount(tenantId, account.id) : [];
    },
  };
}
