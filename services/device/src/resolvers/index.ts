import type { DeviceDependencies } from '../dependencies';
import type { Resolvers } from '../generated/resolvers-types';
import { accountResolvers } from './account';
import { deviceResolvers } from './device';
import { mutationResolvers } from './mutation';

export function createResolvers(deps: DeviceDependencies): Resolvers {
  return {
    Mutation: mutationResolvers(deps),
    Device: deviceResolvers(deps.devices),
    Account: accountResolvers(deps.devices),
  };
}
