import type { MutationResolvers } from '../generated/resolvers-types';
import { registerDevice, type RegisterDeviceDependencies } from '../use-cases/register-device';
import { revokeDevice, type RevokeDeviceDependencies } from '../use-cases/revoke-device';

export function mutationResolvers(deps: RegisterDeviceDependencies & RevokeDeviceDependencies): MutationResolvers {
  return {
    registerDevice: async (_parent, { input }, { caller }) => ({ device: await registerDevice(deps, caller, input) }),
    revokeDevice: async (_parent, { input }, { caller }) => ({ device: await revokeDevice(deps, caller, input) }),
  };
}
