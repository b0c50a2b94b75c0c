import { eventRoutes } from '@messngr/contracts';
import { defineSubgraph } from '@messngr/kit/subgraph';
import { parseDeviceConfig } from './config';
import { createDeviceDependencies } from './dependencies';
import { identityEventsHandler } from './events/identity-events-handler';
import { createResolvers } from './resolvers';

/** Devices of accounts; learns each account's tenant from the identity subgraph's events. */
export const deviceSubgraph = defineSubgraph({
  name: 'device',
  parseConfig: parseDeviceConfig,
  dependencies: createDeviceDependencies,
  resolvers: createResolvers,
  consumes: (deps) => eventRoutes('device', identityEventsHandler(deps)),
});
