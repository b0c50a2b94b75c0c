import * as client from 'openid-client';
import type { SecretBox } from '@messngr/kit/core';
import type { OutboundFetch } from '@messngr/kit/http';
import type { UpstreamIdentity } from '../domain/provider-flow';
import type { UsableUpstream } from '../persistence/upstream-provider.model';
import { identityFromClaims } from './claim-mapping';
import { classifyExchangeFailure, UpstreamFailure, type ExchangeObservations } from './upstream-failure';

/** What a flow keeps to prove the callback is its own (sealed at rest). */
export interface FlowChecks {
  state: string;
  nonce: string | null;
  codeVerifier: string;
}

export interface RelyingPartyOptions {
  fetch: OutboundFetch;
  /** Opens the client secrets the tenant subgraph sealed for us (PROVIDER_SECRETS_KEYS). */
  providerSecrets: SecretBox;
  secretContext: (providerId: string) => string;
  now?: () => number;
}

const DISCOVERY_FRESH_MS = 60 * 60_000;
/** A provider whose discovery fails keeps working from the last document this long. */
const DISCOVERY_STALE_MS = 24 * 60 * 60_000;
const TIMEOUT_SECONDS = 5;

type Upstream = UsableUpstream;

/**
 * The identity subgraph as relying party of a tenant's upstream providers, on openid-client:
 * OIDC with discovery (or configured endpoints), ID tokens validated by the library (signature
 * through the provider's JWKS, iss, aud, azp, exp, iat, nonce), RFC 9207 `iss` checked where
 * advertised; OAuth 2.0 providers (GitHub-style) through their token and user endpoints. Every
 * request goes through the guarded outbound fetch.
 */
export class RelyingParty {
  readonly #metadata = new Map<string, { sequence: number; metadata: client.ServerMetadata; at: number }>();
  readonly #jwks = new Map<string, client.ExportedJWKSCache>();
  readonly #now: () => number;

  constructor(private readonly options: RelyingPartyOptions) {
    this.#now = options.now ?? Date.now;
  }

  async authorizationUrl(provider: Upstream, request: { redirectUri: string; checks: FlowChecks }): Promise<string> {
    const config = await this.configuration(provider, {});
    const { connection } = provider;
    const scopes = new Set(connection.scopes);
    if (provider.kind === 'OIDC') scopes.add('openid');
    const parameters: Record<string, string> = {
      redirect_uri: request.redirectUri,
      response_type: 'code',
      state: request.checks.state,
      code_challenge: await client.calculatePKCECodeChallenge(request.checks.codeVerifier),
      code_challenge_method: 'S256',
    };
    if (scopes.size > 0) parameters['scope'] = [...scopes].join(' ');
    if (request.checks.nonce) parameters['nonce'] = request.checks.nonce;
    return client.buildAuthorizationUrl(config, parameters).href;
  }

  /** The callback's code exchanged and the upstream identity read; throws UpstreamFailure with its code. */
  async exchange(provider: Upstream, callbackUrl: URL, checks: FlowChecks): Promise<UpstreamIdentity> {
    const observations: ExchangeObservations = { networkFailed: false, tokenResponse: null };
    const config = await this.configuration(provider, observations);
    const metadata = config.serverMetadata();
    checkAuthorizationResponse(callbackUrl, metadata);
    let tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers;
    try {
      tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        expectedState: checks.state,
        pkceCodeVerifier: checks.codeVerifier,
        ...(checks.nonce ? { expectedNonce: checks.nonce, idTokenExpected: true } : {}),
      });
    } catch (error) {
      throw classifyExchangeFailure(error, observations, provider.kind);
    } finally {
      const jwks = client.getJwksCache(config);
      if (jwks) this.#jwks.set(provider._id, jwks);
    }
    try {
      const claims =
        provider.kind === 'OIDC'
          ? await this.oidcClaims(config, provider, tokens)
          : await this.userFields(config, provider, tokens);
      // Google Workspace: a tenant restricted to its domain admits only ID tokens naming it in `hd`.
      const domain = provider.connection.requiredHostedDomain;
      if (domain && claims['hd'] !== domain) throw new UpstreamFailure('HOSTED_DOMAIN_NOT_ALLOWED');
      return identityFromClaims(provider.kind, issuerOf(provider, metadata), provider.connection.claimMapping, claims);
    } catch (error) {
      if (error instanceof UpstreamFailure) throw error;
      throw classifyExchangeFailure(error, observations, 'OAUTH2');
    }
  }

  private async oidcClaims(
    config: client.Configuration,
    provider: Upstream,
    tokens: client.TokenEndpointResponseHelpers & client.TokenEndpointResponse,
  ): Promise<Record<string, unknown>> {
    const idToken = tokens.claims();
    if (!idToken) throw new UpstreamFailure('INVALID_ID_TOKEN');
    const mapping = provider.connection.claimMapping;
    const wanted = [mapping.email, mapping.emailVerified, mapping.name, mapping.username].filter(
      (claim): claim is string => !!claim,
    );
    const missing = wanted.some((claim) => !(claim in idToken));
    if (!missing || !config.serverMetadata().userinfo_endpoint) return idToken;
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
    return { ...userinfo, ...idToken };
  }

  private async userFields(
    config: client.Configuration,
    provider: Upstream,
    tokens: client.TokenEndpointResponse,
  ): Promise<Record<string, unknown>> {
    const endpoint = provider.connection.userinfoEndpoint;
    if (!endpoint) throw new UpstreamFailure('UPSTREAM_INVALID_RESPONSE');
    const response = await client.fetchProtectedResource(config, tokens.access_token, new URL(endpoint), 'GET');
    if (response.status >= 500) throw new UpstreamFailure('UPSTREAM_UNAVAILABLE');
    if (!response.ok) throw new UpstreamFailure('UPSTREAM_REFUSED');
    const body: unknown = await response.json().catch(() => null);
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new UpstreamFailure('UPSTREAM_INVALID_RESPONSE');
    return body as Record<string, unknown>;
  }

  /** A Configuration per call (cheap), over cached server metadata and JWKS, with a fetch that reports what it saw. */
  private async configuration(provider: Upstream, observations: Partial<ExchangeObservations>): Promise<client.Configuration> {
    const metadata = await this.serverMetadata(provider);
    const { connection } = provider;
    const secret = connection.sealedClientSecret
      ? this.options.providerSecrets.open(connection.sealedClientSecret, this.options.secretContext(provider._id))
      : undefined;
    const basic = metadata.token_endpoint_auth_methods_supported?.includes('client_secret_basic') ?? false;
    const auth =
      secret === undefined ? client.None() : basic ? client.ClientSecretBasic(secret) : client.ClientSecretPost(secret);
    const config = new client.Configuration(
      metadata,
      connection.clientId ?? '',
      secret === undefined ? {} : { client_secret: secret },
      auth,
    );
    config.timeout = TIMEOUT_SECONDS;
    config[client.customFetch] = this.observingFetch(metadata, observations);
    if (insecure(metadata)) client.allowInsecureRequests(config);
    // openid-client trusts an ID token from the token endpoint on TLS alone; we check its signature with the provider's JWKS too.
    if (provider.kind === 'OIDC') client.enableNonRepudiationChecks(config);
    const jwks = this.#jwks.get(provider._id);
    if (jwks) client.setJwksCache(config, jwks);
    return config;
  }

  private observingFetch(metadata: client.ServerMetadata, observations: Partial<ExchangeObservations>): client.CustomFetch {
    const fetch = this.options.fetch;
    return async (url, init) => {
      let response: Response;
      try {
        response = await fetch(url, init);
      } catch (error) {
        observations.networkFailed = true;
        throw error;
      }
      if (metadata.token_endpoint && url.split('?')[0] === metadata.token_endpoint) {
        const body: unknown = await response
          .clone()
          .json()
          .catch(() => null);
        observations.tokenResponse = {
          status: response.status,
          body: body && typeof body === 'object' ? (body as Record<string, unknown>) : null,
        };
      }
      return response;
    };
  }

  private async serverMetadata(provider: Upstream): Promise<client.ServerMetadata> {
    const { connection } = provider;
    if (provider.kind === 'OAUTH2' || !connection.useDiscovery) return configuredMetadata(provider);
    const cached = this.#metadata.get(provider._id);
    const now = this.#now();
    if (cached && cached.sequence === provider.sequence && now - cached.at < DISCOVERY_FRESH_MS) return cached.metadata;
    try {
      const issuer = new URL(connection.issuer ?? '');
      const discovered = await client.discovery(issuer, connection.clientId ?? '', undefined, undefined, {
        [client.customFetch]: this.options.fetch,
        timeout: TIMEOUT_SECONDS,
        ...(issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}),
      });
      const metadata = { ...discovered.serverMetadata() };
      this.#metadata.set(provider._id, { sequence: provider.sequence, metadata, at: now });
      return metadata;
    } catch (error) {
      if (cached && cached.sequence === provider.sequence && now - cached.at < DISCOVERY_STALE_MS) return cached.metadata;
      throw classifyExchangeFailure(error, { networkFailed: true, tokenResponse: null }, 'OAUTH2');
    }
  }
}

/** RFC 9207: an `iss` in the response must be the provider's; where the provider advertises it, it must be there. */
function checkAuthorizationResponse(callbackUrl: URL, metadata: client.ServerMetadata): void {
  const error = callbackUrl.searchParams.get('error');
  if (error) throw new UpstreamFailure(error === 'access_denied' ? 'UPSTREAM_DENIED' : 'UPSTREAM_REFUSED');
  const iss = callbackUrl.searchParams.get('iss');
  if (iss !== null && iss !== metadata.issuer) throw new UpstreamFailure('ISSUER_MISMATCH');
  if (iss === null && metadata.authorization_response_iss_parameter_supported) throw new UpstreamFailure('ISSUER_MISMATCH');
  if (!callbackUrl.searchParams.get('code')) throw new UpstreamFailure('UPSTREAM_INVALID_RESPONSE');
}

function configuredMetadata(provider: Upstream): client.ServerMetadata {
  const { connection } = provider;
  return {
    issuer: issuerOf(provider, null),
    ...(connection.authorizationEndpoint ? { authorization_endpoint: connection.authorizationEndpoint } : {}),
    ...(connection.tokenEndpoint ? { token_endpoint: connection.tokenEndpoint } : {}),
    ...(connection.jwksUri ? { jwks_uri: connection.jwksUri } : {}),
    ...(provider.kind === 'OIDC' && connection.userinfoEndpoint ? { userinfo_endpoint: connection.userinfoEndpoint } : {}),
    token_endpoint_auth_methods_supported: ['client_secret_post'],
  };
}

/** The issuer half of an upstream identity's key: the OIDC issuer, or for OAuth 2.0 the configured issuer or the authorization server's origin. */
function issuerOf(provider: Upstream, metadata: client.ServerMetadata | null): string {
  if (metadata?.issuer) return metadata.issuer;
  const { connection } = provider;
  if (connection.issuer) return connection.issuer;
  return new URL(connection.authorizationEndpoint ?? connection.tokenEndpoint ?? 'invalid:').origin;
}

function insecure(metadata: client.ServerMetadata): boolean {
  return [
    metadata.issuer,
    metadata.authorization_endpoint,
    metadata.token_endpoint,
    metadata.jwks_uri,
    metadata.userinfo_endpoint,
  ].some((url) => typeof url === 'string' && url.startsWith('http:'));
}
