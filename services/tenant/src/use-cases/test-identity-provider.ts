import type { Caller } from '@messngr/kit/auth';
import { ConflictError, NotFoundError } from '@messngr/kit/errors';
import { checkIdentityProvider, type ProviderCheckReport } from '../discovery/check-identity-provider';
import type { TenantDependencies } from '../dependencies';
import { locateIdentityProvider, requireProviderAdmin } from './locate-identity-provider';

/** Runs discovery (or probes explicit endpoints) for an upstream provider; changes nothing. */
export async function testIdentityProvider(
  deps: TenantDependencies,
  caller: Caller,
  command: { id: string },
): Promise<ProviderCheckReport> {
  const located = await locateIdentityProvider(deps, command.id);
  if (!located) throw new NotFoundError('Identity provider');
  requireProviderAdmin(caller, located);
  const { provider } = located;
  const endpoints = {
    authorizationEndpoint: provider.authorizationEndpoint,
    tokenEndpoint: provider.tokenEndpoint,
    userinfoEndpoint: provider.userinfoEndpoint,
    jwksUri: provider.jwksUri,
  };
  const options = { fetch: deps.outbound, allowInsecureLoopback: deps.allowInsecureLoopback };
  switch (provider.kind) {
    case 'OIDC':
      return checkIdentityProvider(
        { kind: 'OIDC', issuer: provider.issuer ?? '', useDiscovery: provider.useDiscovery, endpoints },
        options,
      );
    case 'OAUTH2':
      return checkIdentityProvider({ kind: 'OAUTH2', endpoints }, options);
    case 'NATIVE':
      throw new ConflictError('NOT_AN_UPSTREAM_PROVIDER', 'NATIVE providers have nothing upstream to test.');
  }
}
