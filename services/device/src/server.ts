import { eventRoutes } from '@messngr/contracts';
import { defineSubgraph } from '@messngr/kit/subgraph';
import { parseDeviceConfig } from './config';
import { createDeviceDependencies } from './dependencies';
import { identityEventsHandler } from './events/identity-events-handler';
import { messagingEventsHandler } from './events/messaging-events-handler';
import { createResolvers } from './resolvers';
import { mountAccountDeviceRoutes } from './routes/account-device-routes';

/**
 * Devices of accounts; learns each account's tenant and its sessions' devices from the identity
 * subgraph's events, revokes a session's devices when it ends, and records the handshakes a
 * messaging backend that terminates device connections publishes. The caller's own devices are
 * also served over REST (`/api/account/devices`), through the gateway.
 */
export const deviceSubgraph = defineSubgraph({
  name: 'device',
  parseConfig: parseDeviceConfig,
  dependencies: createDeviceDependencies,
  resolvers: createResolvers,
  consumes: (deps) => eventRoutes('device', { ...identityEventsHandler(deps), ...messagingEventsHandler(deps) }),
  routes: (app, deps, _config, guards) => mountAccountDeviceRoutes(app, deps, guards),
});
