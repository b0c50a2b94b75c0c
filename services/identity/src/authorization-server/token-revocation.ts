import { createLocalJWKSet, jwtVerify } from 'jose';
import { tenantIssuer } from '@messngr/kit/core';
import { decideRefresh } from '../domain/session';
import type { TenantReplicaDocument } from '../persistence/tenant-replica.model';
import { parseRefreshToken } from '../tokens/refresh-token';
import { endSession } from '../use-cases/end-sessions';
import type { AuthorizationServerDependencies } from './authorization-server-dependencies';

/**
 * RFC 7009 for the identity core's tokens, after oidc-provider has authenticated the client
 * (it knows none of them, and answers 200 as the RFC wants): a refresh token of the family,
 * or a genuine access token, of this client ends the session they belong to, so the gateway
 * refuses its access tokens from the next request on. Anything else changes nothing.
 */
export async function revokePresentedToken(
  deps: AuthorizationServerDependencies,
  tenant: TenantReplicaDocument,
  clientId: string,
  token: string,
): Promise<void> {
  const sessionId = (await refreshTokenSession(deps, tenant, token)) ?? (await accessTokenSession(deps, tenant, clientId, token));
  if (!sessionId) return;
  const session = await deps.sessions.findById(tenant._id, sessionId);
  if (!session || session.clientId !== clientId || session.status !== 'ACTIVE') return;
  await endSession(deps, session, 'TOKEN_REVOKED', { type: 'system' }, deps.clock.now());
}

async function refreshTokenSession(
  deps: AuthorizationServerDependencies,
  tenant: TenantReplicaDocument,
  token: string,
): Promise<string | undefined> {
  const presented = parseRefreshToken(token);
  if (!presented || presented.tenantId !== tenant._id) return undefined;
  const session = await deps.sessions.findById(tenant._id, presented.sessionId);
  if (!session) return undefined;
  // Only a token of the family proves anything: one made up around a session id revokes nothing.
  return decideRefresh(session, presented.hash, deps.clock.now()).kind === 'refuse' ? undefined : session._id;
}

async function accessTokenSession(
  deps: AuthorizationServerDependencies,
  tenant: TenantReplicaDocument,
  clientId: string,
  token: string,
): Promise<string | undefined> {
  if (token.split('.').length !== 3) return undefined;
  try {
    const keys = createLocalJWKSet(await deps.keys.jwks(tenant._id));
    const { payload } = await jwtVerify(token, keys, {
      issuer: tenantIssuer(deps.publicUrl, tenant.slug),
      typ: 'at+jwt',
      algorithms: ['ES256'],
    });
    if (payload['tid'] !== tenant._id || payload['client_id'] !== clientId || typeof payload['sid'] !== 'string')
      return undefined;
    return payload['sid'];
  } catch {
    return undefined;
  }
}
