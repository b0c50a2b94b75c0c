import { canReadAccount } from '@messngr/kit';
import type { AccountResolvers } from '../generated/resolvers-types';
import type { DeviceRepository } from '../persistence/device.repository';

export function accountResolvers(devices: DeviceRepository): AccountResolvers {
  return {
    __resolveReference: (reference) => reference,
    // An empty list, not an error, for other callers: it reveals nothing about the account.
    devices: (account, _args, { caller }) =>
      canReadAccount(caller, account.tenantId, account.id) ? devices.activeForAccount(account.tenantId, account.id) : [],
  };
}
