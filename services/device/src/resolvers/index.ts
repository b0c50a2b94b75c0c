import { canReadAccount, isPlatformAdmin, type Clock } from '@messngr/kit';
import type { Resolvers } from '../generated/resolvers-types';
import type { AccountReplicaRepository } from '../persistence/account-replica.repository';
import type { DeviceRepository } from '../persistence/device.repository';
import { registerDevice } from '../use-cases/register-device';

export interface DeviceDependencies {
  devices: DeviceRepository;
  accounts: AccountReplicaRepository;
  clock: Clock;
}

export function createResolvers(deps: DeviceDependencies): Resolvers {
  return {
    Mutation: {
      registerDevice: async (_parent, { input }, { caller }) => ({ device: await registerDevice(deps, caller, input) }),
    },
    Device: {
      __resolveReference: async (reference, { caller }) => {
        const device = isPlatformAdmin(caller)
          ? await deps.devices.findByIdInAnyTenant(reference.id)
          : caller.tenantId
            ? await deps.devices.findById(caller.tenantId, reference.id)
            : null;
        return device && canReadAccount(caller, device.tenantId, device.accountId) ? device : null;
      },
      id: (device) => device._id,
    },
    Account: {
      __resolveReference: (reference) => reference,
      devices: (account, _args, { caller }) =>
        canReadAccount(caller, account.tenantId, account.id) ? deps.devices.activeForAccount(account.tenantId, account.id) : [],
    },
  };
}
