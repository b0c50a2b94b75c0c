import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientCredentials, type RegisteredClient } from './client-authentication';
import { craftIdToken, idTokenSigner, type Misbehaviour, type SigningAlg } from './crafted-id-token';
import { redirect, readParameters, requestUrl, sendHtml, sendJson, startLoopbackServer } from './loopback-server';
import { s256Challenge } from './pkce-challenge';

export type { Misbehaviour } from './crafted-id-token';

export interface CraftedOpenIdProvider {
  url: string;
  /** The issuer it advertises and signs as: `url` unless `options.issuer` overrides it. */
  issuer: string;
  /** Spoils the next token response's ID token. */
  misbehave(next: Misbehaviour): void;
  /** Replaces (`string`) or omits (`null`) the `iss` of the next authorization response. */
  misbehaveAuthorization(next: { iss?: string | null }): void;
  /** The subject of the next authorizations. */
  setSubject(sub: string): void;
  stop(): Promise<void>;
}

export interface CraftedOpenIdProviderOptions {
  clients: RegisteredClient[];
  sub?: string;
  /** An advertised issuer other than where it is served, for issuer mismatch tests. */
  issuer?: string;
  alg?: SigningAlg;
}

interface IssuedCode {
  client: RegisteredClient;
  redirectUri: string;
  sub: string;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  expiresAt: number;
}

const CODE_TTL_MS = 60_000;
const TOKEN_TTL_S = 300;
/** Protocol claims of an ID token; the rest is what userinfo repeats. */
const PROTOCOL_CLAIMS = ['iss', 'aud', 'exp', 'iat', 'nbf', 'nonce', 'azp', 'auth_time', 'at_hash', 'jti'];

/**
 * A protocol-shaped OpenID Provider that signs in its subject at once and can be told to get the
 * next authorization or ID token wrong, for relying-party refusal tests.
 */
export async function startCraftedOpenIdProvider(options: CraftedOpenIdProviderOptions): Promise<CraftedOpenIdProvider> {
  const signer = await idTokenSigner(options.alg ?? 'ES256');
  const clients = new Map(options.clients.map((client) => [client.clientId, client]));
  const codes = new Map<string, IssuedCode>();
  const userinfo = new Map<string, Record<string, unknown>>();
  let sub = options.sub ?? 'crafted-user';
  let nextTokenMisbehaviour: Misbehaviour | undefined;
  let nextAuthorizationMisbehaviour: { iss?: string | null } | undefined;

  function authorize(url: URL, response: ServerResponse): void {
    const query = url.searchParams;
    const client = clients.get(query.get('client_id') ?? '');
    const redirectUri = query.get('redirect_uri') ?? '';
    if (!client || !client.redirectUris.includes(redirectUri)) return sendHtml(response, 400, 'Unknown client or redirect_uri');
    const codeChallenge = query.get('code_challenge') ?? undefined;
    if (query.get('response_type') !== 'code' || (codeChallenge && query.get('code_challenge_method') !== 'S256')) {
      return sendHtml(response, 400, 'Only response_type=code with S256 PKCE is supported');
    }
    const code = randomBytes(16).toString('base64url');
    const nonce = query.get('nonce') ?? undefined;
    codes.set(code, { client, redirectUri, sub, nonce, codeChallenge, expiresAt: Date.now() + CODE_TTL_MS });

    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    const state = query.get('state');
    if (state !== null) target.searchParams.set('state', state);
    const misbehaviour = nextAuthorizationMisbehaviour;
    nextAuthorizationMisbehaviour = undefined;
    const iss = misbehaviour && 'iss' in misbehaviour ? misbehaviour.iss : issuer;
    if (typeof iss === 'string') target.searchParams.set('iss', iss);
    redirect(response, target.href);
  }

  async function token(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const parameters = await readParameters(request);
    const { clientId, clientSecret, method } = clientCredentials(request, parameters);
    const client = clients.get(clientId ?? '');
    if (!client || client.clientSecret !== clientSecret) {
      const challenge: Record<string, string> = method === 'basic' ? { 'www-authenticate': 'Basic realm="token"' } : {};
      return sendJson(response, 401, { error: 'invalid_client', error_description: 'client authentication failed' }, challenge);
    }
    if (parameters.get('grant_type') !== 'authorization_code') {
      return sendJson(response, 400, { error: 'unsupported_grant_type' });
    }
    const code = parameters.get('code') ?? '';
    const issued = codes.get(code);
    codes.delete(code);
    const verifier = parameters.get('code_verifier');
    const refusal =
      !issued || issued.client !== client || issued.expiresAt < Date.now()
        ? 'the code is invalid, expired or was already used'
        : issued.redirectUri !== parameters.get('redirect_uri')
          ? 'redirect_uri does not match the authorization request'
          : issued.codeChallenge && (!verifier || s256Challenge(verifier) !== issued.codeChallenge)
            ? 'PKCE verification failed'
            : undefined;
    if (!issued || refusal) return sendJson(response, 400, { error: 'invalid_grant', error_description: refusal });

    const now = Math.floor(Date.now() / 1000);
    const misbehaviour = nextTokenMisbehaviour;
    nextTokenMisbehaviour = undefined;
    const { idToken, claims } = await craftIdToken(
      {
        iss: issuer,
        aud: client.clientId,
        sub: issued.sub,
        ...(issued.nonce !== undefined && { nonce: issued.nonce }),
        iat: now,
        exp: now + TOKEN_TTL_S,
        email: `${issued.sub}@example.test`,
        email_verified: true,
      },
      signer,
      misbehaviour,
    );
    const accessToken = randomBytes(24).toString('base64url');
    userinfo.set(accessToken, Object.fromEntries(Object.entries(claims).filter(([name]) => !PROTOCOL_CLAIMS.includes(name))));
    sendJson(response, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: TOKEN_TTL_S, id_token: idToken });
  }

  function userInfo(request: IncomingMessage, response: ServerResponse): void {
    const [scheme = '', accessToken = ''] = (request.headers.authorization ?? '').split(' ');
    const claims = scheme.toLowerCase() === 'bearer' ? userinfo.get(accessToken) : undefined;
    if (!claims)
      return sendJson(response, 401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer error="invalid_token"' });
    sendJson(response, 200, claims);
  }

  const server = await startLoopbackServer(async (request, response) => {
    const url = requestUrl(request, server.url);
    switch (`${request.method} ${url.pathname}`) {
      case 'GET /.well-known/openid-configuration':
        return sendJson(response, 200, discoveryDocument(issuer, server.url));
      case 'GET /jwks':
        return sendJson(response, 200, { keys: [signer.publicJwk] });
      case 'GET /authorize':
        return authorize(url, response);
      case 'POST /token':
        return token(request, response);
      case 'GET /userinfo':
      case 'POST /userinfo':
        return userInfo(request, response);
      default:
        return sendJson(response, 404, { error: 'not_found' });
    }
  });
  const issuer = options.issuer ?? server.url;

  return {
    url: server.url,
    issuer,
    misbehave: (next) => {
      nextTokenMisbehaviour = next;
    },
    misbehaveAuthorization: (next) => {
      nextAuthorizationMisbehaviour = next;
    },
    setSubject: (next) => {
      sub = next;
    },
    stop: server.stop,
  };
}

function discoveryDocument(issuer: string, url: string): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: `${url}/authorize`,
    token_endpoint: `${url}/token`,
    jwks_uri: `${url}/jwks`,
    userinfo_endpoint: `${url}/userinfo`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256', 'ES256'],
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    scopes_supported: ['openid', 'email', 'profile'],
    grant_types_supported: ['authorization_code'],
  };
}
