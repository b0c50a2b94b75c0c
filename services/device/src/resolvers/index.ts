import type { Clock } from '@messngr/kit';
import type { Resolvers } from '../generated/resolvers-types';
import type { AccountReplicaRepository } from '../persistence/account-replica.repository';
import type { DeviceRepository } from '../persistence/device.repository';
import { accountResolvers } from './account';
import { deviceResolvers } from './device';
import { mutationResolvers } from './mutation';

export interface DeviceDependencies {
  devices: DeviceRepository;
  accounts: AccountReplicaRepository;
  clock: Clock;
}

export function createResolvers(deps: DeviceDependencies): Resolvers {
  return {
    Mutation: mutationResolvers(deps),
    Device: deviceResolvers(deps.devices),
    Account: accountResolvers(deps.devices),
  };
}
