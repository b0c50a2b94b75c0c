import type { DeviceDependencies } from '../dependencies';
import type { MutationResolvers } from '../generated/resolvers-types';
import { completeDeviceHandshake, startDeviceHandshake } from '../use-cases/device-handshake';
import { registerDevice } from '../use-cases/register-device';
import { revokeDevice } from '../use-cases/revoke-device';

export function mutationResolvers(deps: DeviceDependencies): MutationResolvers {
  return {
    registerDevice: async (_parent, { input }, { caller }) => ({ device: await registerDevice(deps, caller, input) }),
    revokeDevice: async (_parent, { input }, { caller }) => ({ device: await revokeDevice(deps, caller, input) }),
    startDeviceHandshake: async (_parent, { input }, { caller }) => startDeviceHandshake(deps, caller, input.deviceId),
    completeDeviceHandshake: async (_parent, { input }, { caller }) => ({
      device: await completeDeviceHandshake(deps, caller, input),
    }),
  };
}
