import { eventRoutes } from '@messngr/contracts';
import { defineSubgraph } from '@messngr/kit/subgraph';
import { parseIdentityConfig } from './config';
import { createIdentityDependencies, type IdentityDependencies } from './dependencies';
import { deviceEventsHandler } from './events/device-events-handler';
import { tenantEventsHandler } from './events/tenant-events-handler';
import { createResolvers } from './resolvers';
import { accountIdentityOperations, mountAccountIdentityRoutes } from './routes/account-identity-routes';
import { authorizationRecordSweep } from './authorization-server/authorization-record-sweep';
import { mountAuthorizationServerRoutes } from './authorization-server/authorization-server-routes';
import { AuthorizationServers } from './authorization-server/authorization-servers';
import { mountIssuerRoutes } from './routes/issuer-routes';
import { mountProviderCallbackRoute } from './routes/provider-callback-route';
import { ensurePlatformTenant } from './use-cases/ensure-platform-tenant';
import { flowSweep } from './use-cases/flow-sweep';

/**
 * Accounts and their signing keys; keeps a copy of each tenant from the tenant subgraph's
 * events, and ends the session bound to a device the device subgraph revoked.
 */
export const identitySubgraph = defineSubgraph({
  name: 'identity',
  parseConfig: parseIdentityConfig,
  dependencies: createIdentityDependencies,
  resolvers: createResolvers,
  consumes: (deps) => eventRoutes('identity', { ...tenantEventsHandler(deps), ...deviceEventsHandler(deps) }),
  routes: (app, deps, config, guards) => {
    mountIssuerRoutes(app, { tenants: deps.tenants, keys: deps.keys, publicUrl: config.publicUrl });
    mountProviderCallbackRoute(app, deps, guards, deps.logger);
    mountAccountIdentityRoutes(app, accountIdentityOperations(deps), guards, deps.logger);
    // Last: the authorization server answers everything else under a tenant's issuer.
    mountAuthorizationServerRoutes(app, deps, authorizationServersOf(deps), guards, deps.hostedPageCsrfKey);
  },
  prepare: ensurePlatformTenant,
  workers: (deps) => [
    deps.courier,
    deps.keySchedule,
    deps.sendSlotSweep,
    flowSweep(deps),
    authorizationRecordSweep({ ...deps, authorizationServers: authorizationServersOf(deps) }),
  ],
});

const authorizationServers = new WeakMap<IdentityDependencies, AuthorizationServers>();

/** The tenants' providers of one running subgraph, shared by its routes and its sweep. */
function authorizationServersOf(deps: IdentityDependencies): AuthorizationServers {
  let servers = authorizationServers.get(deps);
  if (!servers) {
    servers = new AuthorizationServers(deps, deps.authorizationRecords, {
      cookieKeys: deps.providerCookies.keys,
      secureCookies: deps.providerCookies.secure,
    });
    authorizationServers.set(deps, servers);
  }
  return servers;
}
