import type { AuthorizationCode, DeviceCode, Grant, KoaContextWithOIDC, Provider } from 'oidc-provider';
import { errors } from 'oidc-provider';
import { ANONYMOUS, type Caller } from '@messngr/kit/auth';
import { DomainError } from '@messngr/kit/errors';
import type { TenantReplicaDocument } from '../persistence/tenant-replica.model';
import { parseRefreshToken } from '../tokens/refresh-token';
import { beginSession } from '../use-cases/begin-session';
import { refreshSession } from '../use-cases/refresh-session';
import type { AuthorizationServerDependencies } from './authorization-server-dependencies';
import { scopeSet } from './account-claims';
import { browserSignInId } from './browser-sign-in';
import {
  findAuthorizationCode,
  findValidGrant,
  InvalidGrant,
  issueIdToken,
  loadAccount,
  requireParameters,
  revokeGrant,
  verifyPkce,
} from './oidc-provider-internals';
import type { AuthorizationStore } from './store-adapter';

export interface TenantAuthorizationServer {
  tenant: TenantReplicaDocument;
  store: AuthorizationStore;
}

/** The caller the gateway vouched for (address and user agent of the client), left by `guards.gatewayOnly`. */
export function callerOf(ctx: KoaContextWithOIDC): Caller {
  const locals = (ctx.res as { locals?: { caller?: Caller } }).locals;
  return locals?.caller ?? ANONYMOUS;
}

/**
 * The token endpoint's grants that mint tokens. oidc-provider has authenticated the client
 * and checked the grant type is allowed it; what it would mint itself is replaced by the
 * identity core's: a code redeemed begins a session (with its refresh-token family, the
 * same as every other door), a refresh token is rotated by the same rules as `refreshSession`.
 */
export function registerTokenGrants(
  provider: Provider,
  deps: AuthorizationServerDependencies,
  server: TenantAuthorizationServer,
): void {
  provider.registerGrantType('authorization_code', (ctx) => redeemCode(provider, deps, server, ctx), [
    'code',
    'code_verifier',
    'redirect_uri',
  ]);
  provider.registerGrantType('refresh_token', (ctx) => rotateRefreshToken(deps, server, ctx), ['refresh_token', 'scope']);
  provider.registerGrantType(DEVICE_CODE_GRANT, (ctx) => redeemDeviceCode(provider, deps, server, ctx), ['device_code']);
  provider.registerGrantType('client_credentials', (ctx) => grantClientCredentials(deps, server, ctx), ['scope']);
}

/** Scopes about a signed-in user: a client acting for itself has no user to ask them of. */
const USER_ONLY_SCOPES = new Set(['openid', 'offline_access']);

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** RFC 8628 §3.2's default, announced in the device authorization response and enforced with `slow_down`. */
export const DEVICE_POLL_INTERVAL_SECONDS = 5;

/**
 * RFC 6749 §4.1.3 with PKCE: the code of this client, unexpired, the verifier matching, the
 * redirect URI the same as in the request. A code redeemed a second time revokes the grant
 * it came from and with it the session its first redemption began (RFC 9700 §4.5).
 */
async function redeemCode(
  provider: Provider,
  deps: AuthorizationServerDependencies,
  server: TenantAuthorizationServer,
  ctx: KoaContextWithOIDC,
): Promise<void> {
  requireParameters(ctx, 'code', 'redirect_uri');
  const value = String(ctx.oidc.params?.['code']);
  const code = await findAuthorizationCode(provider, ctx, value);
  if (code.isExpired) throw new InvalidGrant('authorization code is expired');
  const grant = await findValidGrant(provider, ctx, code.grantId);
  verifyPkce(ctx.oidc.params?.['code_verifier'], code.codeChallenge, code.codeChallengeMethod);
  if (code.redirectUri !== ctx.oidc.params?.['redirect_uri']) throw new InvalidGrant('authorization code redirect_uri mismatch');
  await consumeOrRevoke(server, ctx, 'AuthorizationCode', value, code);
  await loadAccount(provider, ctx, code);
  await signInFromGrantSource(provider, deps, server, ctx, code, grant);
}

/**
 * RFC 8628 §3.4-3.5: the device polls with its device code until the user approved it on the
 * device page (`authorization_pending` before, `slow_down` when polling faster than the
 * interval, `expired_token` after the code's life, `access_denied` when the user denied it).
 * Approved, it is redeemed once, into a session like any other sign-in's.
 */
async function redeemDeviceCode(
  provider: Provider,
  deps: AuthorizationServerDependencies,
  server: TenantAuthorizationServer,
  ctx: KoaContextWithOIDC,
): Promise<void> {
  requireParameters(ctx, 'device_code');
  const value = String(ctx.oidc.params?.['device_code']);
  const code = await provider.DeviceCode.find(value, { ignoreExpiration: true });
  if (!code) {
    if (await server.store.isExpired('DeviceCode', value)) throw new errors.ExpiredToken('device code is expired');
    throw new InvalidGrant('device code not found');
  }
  if (code.clientId !== ctx.oidc.client?.clientId) throw new InvalidGrant('client mismatch');
  if (!(await server.store.claimPoll(value, DEVICE_POLL_INTERVAL_SECONDS))) throw new errors.SlowDown();
  if (code.isExpired) throw new errors.ExpiredToken('device code is expired');
  if (!code.accountId && !code.error) throw new errors.AuthorizationPending();
  await consumeOrRevoke(server, ctx, 'DeviceCode', value, code);
  if (code.error) throw new errors.AccessDenied(code.errorDescription ?? 'the user denied the device');
  const grant = await findValidGrant(provider, ctx, code.grantId);
  await loadAccount(provider, ctx, code);
  await signInFromGrantSource(provider, deps, server, ctx, code, grant);
}

/**
 * Claims a code for this redemption by a unique insert, so that of two concurrent redemptions
 * only one goes on, on FerretDB too. A code used before revokes the grant it came from, and
 * with it whatever its first redemption gave (RFC 9700 §4.5).
 */
async function consumeOrRevoke(
  server: TenantAuthorizationServer,
  ctx: KoaContextWithOIDC,
  model: 'AuthorizationCode' | 'DeviceCode',
  value: string,
  code: AuthorizationCode | DeviceCode,
): Promise<void> {
  if (!('consumed' in code && code.consumed) && (await server.store.consumeOnce(model, value))) return;
  await revokeGrant(ctx, code.grantId);
  throw new InvalidGrant(`${model === 'DeviceCode' ? 'device code' : 'authorization code'} already consumed`);
}

/** A code or device code redeemed: the identity core's session for the browser sign-in behind it, and its tokens. */
async function signInFromGrantSource(
  provider: Provider,
  deps: AuthorizationServerDependencies,
  server: TenantAuthorizationServer,
  ctx: KoaContextWithOIDC,
  code: AuthorizationCode | DeviceCode,
  grant: Grant,
): Promise<void> {
  const browserSignIn =
    code.accountId && code.authTime !== undefined
      ? await deps.browserSignIns.findById(server.tenant._id, browserSignInId(code.accountId, code.authTime))
      : null;
  const account = browserSignIn && (await deps.accounts.findById(server.tenant._id, browserSignIn.accountId));
  if (!browserSignIn || !account || account.status !== 'ACTIVE') throw new InvalidGrant('the account cannot sign in');
  const identity = account.identities.find((candidate) => candidate.id === browserSignIn.identity.id) ?? null;
  if (!identity) throw new InvalidGrant('the identity signed in with is no longer linked');
  const client = ctx.oidc.client;
  if (!client) throw new InvalidGrant('no client');
  const scope = code.scope ?? '';

  const signedIn = await beginSession(deps, callerOf(ctx), {
    account,
    identity,
    device: null,
    clientId: client.clientId,
    now: deps.clock.now(),
    authenticatedAt: browserSignIn.authenticatedAt,
    oauth: { grantId: grant.jti, browserSignInId: browserSignIn._id, scope },
  });
  const idToken = await issueIdToken(provider, ctx, code, grant);
  const refreshToken = client.grantTypeAllowed('refresh_token') ? signedIn.refreshToken : undefined;
  ctx.body = tokenResponse(signedIn.accessToken, signedIn.accessTokenExpiresAt, deps, { refreshToken, idToken, scope });
}

/**
 * RFC 6749 §4.4: a confidential client (oidc-provider has checked its secret and that it may
 * use this grant) gets an access token for itself, no refresh token. It may ask for its
 * registered scopes, not for the ones that only mean something about a user.
 */
async function grantClientCredentials(
  deps: AuthorizationServerDependencies,
  server: TenantAuthorizationServer,
  ctx: KoaContextWithOIDC,
): Promise<void> {
  const client = ctx.oidc.client;
  if (!client) throw new InvalidGrant('no client');
  const requested = ctx.oidc.params?.['scope'];
  const scopes = typeof requested === 'string' ? [...scopeSet(requested)] : [];
  const registered = scopeSet(client.scope ?? '');
  const refused = scopes.find((scope) => USER_ONLY_SCOPES.has(scope) || !registered.has(scope));
  if (refused !== undefined) throw new errors.InvalidScope('a client acting for itself cannot ask for this scope', refused);
  const scope = scopes.join(' ');
  const issued = await deps.tokens.issueForClient({ tenantId: server.tenant._id, clientId: client.clientId, scope });
  ctx.body = tokenResponse(issued.token, issued.expiresAt, deps, { scope });
}

/**
 * RFC 6749 §6: the identity core's rotation (reuse revokes the family, the predecessor
 * within the grace gets the same successor), for refresh tokens this client was given here.
 */
async function rotateRefreshToken(
  deps: AuthorizationServerDependencies,
  server: TenantAuthorizationServer,
  ctx: KoaContextWithOIDC,
): Promise<void> {
  requireParameters(ctx, 'refresh_token');
  const presented = String(ctx.oidc.params?.['refresh_token']);
  const parsed = parseRefreshToken(presented);
  if (!parsed || parsed.tenantId !== server.tenant._id) throw new InvalidGrant('refresh token not found');
  const session = await deps.sessions.findById(server.tenant._id, parsed.sessionId);
  if (!session?.oauth || session.clientId !== ctx.oidc.client?.clientId) throw new InvalidGrant('refresh token not found');
  const requested = ctx.oidc.params?.['scope'];
  const granted = scopeSet(session.oauth.scope);
  if (typeof requested === 'string' && [...scopeSet(requested)].some((scope) => !granted.has(scope))) {
    throw new InvalidGrant('a refresh cannot widen the scope granted');
  }
  try {
    const refreshed = await refreshSession(deps, { refreshToken: presented });
    ctx.body = tokenResponse(refreshed.accessToken, refreshed.accessTokenExpiresAt, deps, {
      refreshToken: refreshed.refreshToken,
      scope: session.oauth.scope,
    });
  } catch (error) {
    if (error instanceof DomainError) throw new InvalidGrant(error.message);
    throw error;
  }
}

function tokenResponse(
  accessToken: string,
  expiresAt: Date,
  deps: Pick<AuthorizationServerDependencies, 'clock'>,
  extra: { refreshToken?: string | undefined; idToken?: string | undefined; scope: string },
): Record<string, unknown> {
  return {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: Math.max(0, Math.round((expiresAt.getTime() - deps.clock.now().getTime()) / 1000)),
    ...(extra.refreshToken ? { refresh_token: extra.refreshToken } : {}),
    ...(extra.idToken ? { id_token: extra.idToken } : {}),
    ...(extra.scope ? { scope: extra.scope } : {}),
  };
}
