import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type ClientMetadata, type Configuration } from 'oidc-provider';

export interface TestOpenIdProvider {
  /** Where it is served: `http://127.0.0.1:<port>`. */
  url: string;
  /** The issuer it signs as and advertises; `url` unless configured otherwise. */
  issuer: string;
  /** oidc-provider's default routes under `url`. */
  authorizationEndpoint: string;
  tokenEndpoint: string;
  stop(): Promise<void>;
}

export interface OpenIdProviderOptions {
  issuer?: string;
  clients?: object[];
  /** The claims of the account signed in as `sub`, instead of a verified `<sub>@example.test` email; `sub` is kept. */
  claims?: (sub: string) => Record<string, unknown>;
  /**
   * Puts the requested scopes' claims (email, name…) in the ID token too, as Google and Entra ID do.
   * By default oidc-provider serves them from userinfo only, since an access token is issued.
   */
  claimsInIdToken?: boolean;
}

/** A confidential client using the authorization code flow; `options.clients` may replace it (same client_id) or add others. */
const DEFAULT_CLIENT: ClientMetadata = {
  client_id: 'messngr-test',
  client_secret: 'messngr-test-secret',
  redirect_uris: ['http://127.0.0.1/callback'],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
};

/**
 * A real OpenID Provider (oidc-provider) on a free loopback port, in memory, with fresh signing
 * keys. PKCE with S256 is required of every client. Any login name signs in through the
 * development interactions and becomes the subject, with a verified `<name>@example.test` email
 * unless `options.claims` says otherwise. Authorization responses carry `iss` (RFC 9207) by default.
 */
export async function startOpenIdProvider(options: OpenIdProviderOptions = {}): Promise<TestOpenIdProvider> {
  // Listening comes first: the default issuer is the URL, which needs the port.
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = options.issuer ?? url;
  const stop = () =>
    new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });

  try {
    const provider = await createProvider(issuer, (options.clients ?? []) as ClientMetadata[], {
      claimsFor: options.claims ?? defaultClaims,
      claimsInIdToken: options.claimsInIdToken ?? false,
    });
    server.on('request', provider.callback());
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, issuer, authorizationEndpoint: `${url}/auth`, tokenEndpoint: `${url}/token`, stop };
}

function defaultClaims(sub: string): Record<string, unknown> {
  return { email: `${sub}@example.test`, email_verified: true, name: sub, preferred_username: sub };
}

async function createProvider(
  issuer: string,
  extraClients: ClientMetadata[],
  { claimsFor, claimsInIdToken }: { claimsFor: (sub: string) => Record<string, unknown>; claimsInIdToken: boolean },
): Promise<Provider> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const clients = new Map([DEFAULT_CLIENT, ...extraClients].map((client) => [client.client_id, client]));
  const configuration: Configuration = {
    clients: [...clients.values()],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: randomUUID(), alg: 'RS256', use: 'sig' }] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] },
    conformIdTokenClaims: !claimsInIdToken,
    features: { devInteractions: { enabled: true } },
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      BackchannelAuthenticationRequest: 600,
      ClientCredentials: 600,
      DeviceCode: 600,
      Grant: 14 * 86_400,
      IdToken: 3600,
      Interaction: 3600,
      RefreshToken: 14 * 86_400,
      Session: 14 * 86_400,
    },
    // Errors as JSON rather than an HTML page, for tests to read.
    renderError: (ctx, out) => {
      ctx.type = 'json';
      ctx.body = out;
    },
    findAccount: (_ctx, sub) => ({
      accountId: sub,
      claims: () => ({ ...claimsFor(sub), sub }),
    }),
  };
  const provider = withoutQuickStartNotices(() => new Provider(issuer, configuration));
  // Koa would print every error it sees; tests assert on responses instead.
  provider.silent = true;
  return provider;
}

/** oidc-provider warns about its in-memory adapter and development interactions; both are the point of a test OP. */
function withoutQuickStartNotices<T>(construct: () => T): T {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].includes('oidc-provider WARNING: a quick start development-only')) return;
    warn(...args);
  };
  try {
    return construct();
  } finally {
    console.warn = warn;
  }
}
