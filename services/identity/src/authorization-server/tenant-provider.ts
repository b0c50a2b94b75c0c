import type { JWK } from 'jose';
import Provider, { type Configuration, type JWK as ProviderJwk, type KoaContextWithOIDC } from 'oidc-provider';
import { tenantIssuer } from '@messngr/kit/core';
import { REVOCATION_SIGNAL_HEADER } from '@messngr/kit/http';
import { OAUTH_SCOPES } from '../domain/oauth-client';
import { sessionCookieOf, sessionLifetimesOf } from '../domain/tenant-rules';
import type { TenantReplicaDocument } from '../persistence/tenant-replica.model';
import type { AuthorizationServerDependencies } from './authorization-server-dependencies';
import { accountClaims, SCOPE_CLAIMS, scopeSet } from './account-claims';
import { FIRST_PARTY_METADATA, isFirstParty } from './client-metadata';
import { deviceCodeInputPage, deviceConfirmPage, deviceSuccessPage, PREFILLED_USER_CODE } from './device-pages';
import { renderProviderError, renderSignedOut, renderSignOut } from './provider-pages';
import type { AuthorizationStore } from './store-adapter';
import { DEVICE_POLL_INTERVAL_SECONDS, registerTokenGrants } from './token-grants';
import { revokePresentedToken } from './token-revocation';

/** An authorization code lives a minute (RFC 6749 §4.1.2 recommends at most ten). */
const AUTHORIZATION_CODE_TTL_SECONDS = 60;
/** Long enough to read a code from the mailbox, twice. */
export const INTERACTION_TTL_SECONDS = 30 * 60;
const ID_TOKEN_TTL_SECONDS = 3600;
/** Time enough to walk to a computer and sign in (RFC 8628 leaves it to the server). */
export const DEVICE_CODE_TTL_SECONDS = 10 * 60;
/** The device page, relative to the issuer (the path the provider sees under its mount). */
const CODE_VERIFICATION_ROUTE = '/device';

export interface ProviderSettings {
  /** Keys that sign the provider's cookies, newest first. */
  cookieKeys: string[];
  /** Secure cookies: outside loopback development the public URL is https. */
  secureCookies: boolean;
}

/** What a provider was built from: a change of any of it builds a new one. */
export function providerFingerprint(tenant: TenantReplicaDocument, kid: string): string {
  return JSON.stringify([kid, tenant.slug, tenant.sessionCookie ?? null, tenant.sessionLifetimes ?? null]);
}

/**
 * The tenant's authorization server, at its issuer `{PUBLIC_URL}/t/{slug}`: oidc-provider
 * with the tenant's active signing key, clients from the tenant's registry, accounts from
 * its hosted-page sign-ins, and the browser session cookie named, scoped and timed by the
 * tenant's session settings. The code and refresh grants mint the identity core's tokens.
 */
export async function buildTenantProvider(
  deps: AuthorizationServerDependencies,
  tenant: TenantReplicaDocument,
  store: AuthorizationStore,
  settings: ProviderSettings,
): Promise<Provider> {
  const issuer = tenantIssuer(deps.publicUrl, tenant.slug);
  const { jwk } = await deps.keys.activePrivateJwk(tenant._id);
  const cookie = sessionCookieOf(tenant);
  const sessionTtlSeconds = Math.round(sessionLifetimesOf(tenant).idleMs / 1000);
  const path = new URL(issuer).pathname;
  const cookieOptions = { httpOnly: true, sameSite: 'lax' as const, secure: settings.secureCookies, path };

  const configuration: Configuration = {
    adapter: store.adapter,
    clients: [],
    extraClientMetadata: { properties: [FIRST_PARTY_METADATA] },
    jwks: { keys: [signingJwkOf(jwk)] },
    findAccount: async (_ctx, id) => {
      const account = await deps.accounts.findById(tenant._id, id);
      if (!account || account.status !== 'ACTIVE') return undefined;
      return { accountId: id, claims: (_use, scope) => accountClaims(account, scopeSet(scope)) as { sub: string } };
    },
    claims: SCOPE_CLAIMS,
    scopes: [...OAUTH_SCOPES],
    responseTypes: ['code'],
    pkce: { required: () => true },
    allowOmittingSingleRegisteredRedirectUri: false,
    conformIdTokenClaims: true,
    enabledJWA: { idTokenSigningAlgValues: ['ES256'] },
    clientDefaults: { id_token_signed_response_alg: 'ES256', grant_types: ['authorization_code'], response_types: ['code'] },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: false },
      introspection: { enabled: false },
      revocation: { enabled: true },
      deviceFlow: {
        enabled: true,
        // Twenty consonants without vowels, in two groups of four: no words, easy to type on a phone.
        charset: 'base-20',
        mask: '****-****',
        userCodeInputSource: (ctx, form, _out, error) => deviceCodeInputPage(ctx, tenant, form, error),
        userCodeConfirmSource: (ctx, form, client, _deviceInfo, userCode) =>
          deviceConfirmPage(ctx, tenant, form, client.clientName ?? client.clientId, userCode),
        successSource: (ctx) => deviceSuccessPage(ctx, tenant),
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => renderSignOut(ctx, tenant, form),
        postLogoutSuccessSource: (ctx) => renderSignedOut(ctx, tenant),
      },
    },
    routes: {
      authorization: '/authorize',
      token: '/token',
      revocation: '/revoke',
      end_session: '/logout',
      device_authorization: '/device/auth',
      code_verification: CODE_VERIFICATION_ROUTE,
      jwks: '/jwks.json',
    },
    discovery: {
      userinfo_endpoint: `${issuer}/userinfo`,
      ui_locales_supported: ['en', 'nb'],
      service_documentation: `${deps.publicUrl}/`,
    } as Configuration['discovery'],
    interactions: { url: (_ctx, interaction) => `${path}/interaction/${interaction.uid}` },
    cookies: {
      names: { session: `${cookie.name}_sso`, interaction: `${cookie.name}_interaction`, resume: `${cookie.name}_resume` },
      long: { ...cookieOptions, ...(cookie.domain ? { domain: cookie.domain } : {}) },
      short: cookieOptions,
      keys: settings.cookieKeys,
    },
    ttl: {
      AuthorizationCode: AUTHORIZATION_CODE_TTL_SECONDS,
      IdToken: ID_TOKEN_TTL_SECONDS,
      Interaction: INTERACTION_TTL_SECONDS,
      DeviceCode: DEVICE_CODE_TTL_SECONDS,
      Session: sessionTtlSeconds,
      Grant: sessionTtlSeconds,
    },
    // A session's tokens go with it: signing out revokes every grant it gave (and the sessions they began).
    expiresWithSession: () => true,
    // The tenant's own clients are granted the (registered) scopes they ask for without a consent
    // page; a third-party client has what the user consented to, and the consent prompt asks for the rest.
    loadExistingGrant: async (ctx) => {
      const client = ctx.oidc.client;
      const session = ctx.oidc.session;
      if (!client || !session?.accountId) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      const existing = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
      if (!isFirstParty(client)) return existing;
      const grant = existing ?? new ctx.oidc.provider.Grant({ accountId: session.accountId, clientId: client.clientId });
      const requested = [...ctx.oidc.requestParamOIDCScopes].join(' ');
      if (requested) grant.addOIDCScope(requested);
      await grant.save();
      return grant;
    },
    clientBasedCORS: (_ctx, origin, client) => allowedOrigin(origin, client.redirectUris ?? []),
    renderError: (ctx, out, error) => renderProviderError(ctx, tenant, out, error),
  };
  const provider = new Provider(issuer, configuration);
  provider.proxy = true;
  registerTokenGrants(provider, deps, { tenant, store });
  provider.use(async (ctx, next) => {
    // verification_uri_complete: oidc-provider would auto-submit the code with a script; our page shows it filled in.
    if (ctx.method === 'GET' && ctx.path === CODE_VERIFICATION_ROUTE && typeof ctx.query['user_code'] === 'string') {
      (ctx.state as Record<string, unknown>)[PREFILLED_USER_CODE] = ctx.query['user_code'];
      ctx.querystring = '';
    }
    await next();
    if (ctx.oidc?.route === 'device_authorization' && ctx.status === 200) announceDeviceInterval(ctx.body);
    if (ctx.oidc?.route === 'device_authorization' || ctx.oidc?.route === 'token') nameUnauthorizedClient(ctx.body);
    const token = ctx.oidc?.params?.['token'];
    if (ctx.oidc?.route === 'revocation' && ctx.status === 200 && ctx.oidc.client && typeof token === 'string') {
      await revokePresentedToken(deps, tenant, ctx.oidc.client.clientId, token);
      ctx.set(REVOCATION_SIGNAL_HEADER, '1');
    }
    // A sign-out confirmed has ended the sessions of its grants, their events on the broker (endSession waits).
    if (ctx.oidc?.route === 'end_session_confirm') ctx.set(REVOCATION_SIGNAL_HEADER, '1');
  });
  return provider;
}

/** The tenant's ES256 private key as oidc-provider takes it: the EC key's own members, nothing else. */
function signingJwkOf(jwk: JWK): ProviderJwk {
  const { kty, crv, x, y, d, kid, alg, use } = jwk;
  return { kty, crv, x, y, d, kid, alg, use };
}

/** The device authorization response names its polling interval (RFC 8628 §3.2). */
function announceDeviceInterval(body: unknown): void {
  if (body && typeof body === 'object') (body as Record<string, unknown>)['interval'] = DEVICE_POLL_INTERVAL_SECONDS;
}

/**
 * A client asking for a grant it is not registered for is told so with RFC 6749 §5.2's
 * `unauthorized_client`, where oidc-provider answers `invalid_request`.
 */
function nameUnauthorizedClient(body: unknown): void {
  if (!body || typeof body !== 'object') return;
  const answer = body as Record<string, unknown>;
  const description = answer['error_description'];
  if (
    answer['error'] === 'invalid_request' &&
    typeof description === 'string' &&
    description.endsWith('is not allowed for this client')
  ) {
    answer['error'] = 'unauthorized_client';
  }
}

/** A browser app may call the token endpoint from the origin of one of its redirect URIs. */
function allowedOrigin(origin: string, redirectUris: readonly string[]): boolean {
  return redirectUris.some((uri) => {
    try {
      return new URL(uri).origin === origin;
    } catch {
      return false;
    }
  });
}

export type { KoaContextWithOIDC };
