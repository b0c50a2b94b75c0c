import type { MutationResolvers } from '../generated/resolvers-types';
import { registerDevice, type RegisterDeviceDependencies } from '../use-cases/register-device';

export function mutationResolvers(deps: RegisterDeviceDependencies): MutationResolvers {
  return {
    registerDevice: async (_parent, { input }, { caller }) => ({ device: await registerDevice(deps, caller, input) }),
  };
}
