import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientCredentials, type RegisteredClient } from './client-authentication';
import { redirect, readParameters, requestUrl, sendHtml, sendJson, startLoopbackServer } from './loopback-server';
import { s256Challenge } from './pkce-challenge';

export interface GithubUser {
  id: number;
  login: string;
  name: string | null;
  email: string | null;
}

export type GithubOAuthApp = RegisteredClient;

export type GithubFailure = 'token-500' | 'token-bad-json' | 'user-500' | 'slow-token';

export interface GithubShapedProvider {
  url: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  userEndpoint: string;
  /** Who is signed in at "GitHub" for the next authorizations. */
  setUser(user: GithubUser): void;
  /** Makes the next matching request fail; `slow-token` holds the token response 30 s or until `stop`. */
  failNext(kind: GithubFailure): void;
  /** Every request received, in order (path without query). */
  requests: { path: string; method: string }[];
  stop(): Promise<void>;
}

export const DEFAULT_GITHUB_USER: GithubUser = { id: 1234567, login: 'mikalv', name: 'Mikal V', email: null };

const CODE_TTL_MS = 60_000;
const SLOW_MS = 30_000;
const ERROR_DOCS = 'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors';

interface IssuedCode {
  app: GithubOAuthApp;
  redirectUri: string;
  codeChallenge: string | undefined;
  scope: string;
  user: GithubUser;
  expiresAt: number;
}

/**
 * A server shaped like GitHub's OAuth app endpoints (not OpenID Connect): authorize redirects at once
 * for the signed-in user, the token endpoint answers errors with status 200 as GitHub does, and
 * `/user` is the REST API's authenticated user.
 */
export async function startGithubShapedProvider(options: { clients: GithubOAuthApp[] }): Promise<GithubShapedProvider> {
  const apps = new Map(options.clients.map((app) => [app.clientId, app]));
  const codes = new Map<string, IssuedCode>();
  const tokens = new Map<string, { user: GithubUser; scope: string }>();
  const failures: GithubFailure[] = [];
  const requests: { path: string; method: string }[] = [];
  const stopping = new AbortController();
  let user = { ...DEFAULT_GITHUB_USER };

  const takeFailure = (kinds: GithubFailure[]) => {
    const index = failures.findIndex((kind) => kinds.includes(kind));
    return index < 0 ? undefined : failures.splice(index, 1)[0];
  };

  function authorize(url: URL, response: ServerResponse): void {
    const query = url.searchParams;
    const app = apps.get(query.get('client_id') ?? '');
    if (!app) return sendHtml(response, 400, 'Unknown client_id');
    // GitHub falls back to the app's callback URL when redirect_uri is left out.
    const redirectUri = query.get('redirect_uri') ?? app.redirectUris[0];
    if (!redirectUri || !app.redirectUris.includes(redirectUri)) {
      return sendHtml(response, 400, 'The redirect_uri is not associated with this application.');
    }
    const codeChallenge = query.get('code_challenge') ?? undefined;
    if (codeChallenge && query.get('code_challenge_method') !== 'S256') {
      return sendHtml(response, 400, 'code_challenge_method must be S256');
    }
    const code = randomBytes(10).toString('hex');
    const scope = (query.get('scope') ?? '')
      .split(/[\s,]+/)
      .filter(Boolean)
      .join(',');
    codes.set(code, { app, redirectUri, codeChallenge, scope, user: { ...user }, expiresAt: Date.now() + CODE_TTL_MS });
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    const state = query.get('state');
    if (state !== null) target.searchParams.set('state', state);
    redirect(response, target.href);
  }

  async function exchange(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const failure = takeFailure(['token-500', 'token-bad-json', 'slow-token']);
    if (failure === 'token-500') return sendHtml(response, 500, 'Internal Server Error');
    if (failure === 'token-bad-json') {
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      return void response.end('{"access_token": "gho_');
    }
    if (failure === 'slow-token') {
      await waitOrStop(SLOW_MS, stopping.signal);
      if (stopping.signal.aborted) return;
    }

    const parameters = await readParameters(request);
    const { clientId, clientSecret } = clientCredentials(request, parameters);
    const wantsJson = request.headers.accept?.includes('application/json') ?? false;
    const answer = (body: Record<string, string>) => {
      if (wantsJson) return sendJson(response, 200, body);
      response.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' });
      response.end(new URLSearchParams(body).toString());
    };
    const refuse = (error: string, description: string) =>
      answer({ error, error_description: description, error_uri: `${ERROR_DOCS}/#${error.replaceAll('_', '-')}` });

    const app = apps.get(clientId ?? '');
    if (!app || app.clientSecret !== clientSecret) {
      return refuse('incorrect_client_credentials', 'The client_id and/or client_secret passed are incorrect.');
    }
    const codeValue = parameters.get('code') ?? '';
    const issued = codes.get(codeValue);
    codes.delete(codeValue);
    if (!issued || issued.app !== app || issued.expiresAt < Date.now()) {
      return refuse('bad_verification_code', 'The code passed is incorrect or expired.');
    }
    const redirectUri = parameters.get('redirect_uri');
    if (redirectUri !== null && redirectUri !== issued.redirectUri) {
      return refuse('redirect_uri_mismatch', 'The redirect_uri MUST match the registered callback URL for this application.');
    }
    const verifier = parameters.get('code_verifier');
    if (issued.codeChallenge && (!verifier || s256Challenge(verifier) !== issued.codeChallenge)) {
      return refuse('bad_verification_code', 'The code passed is incorrect or expired.');
    }
    const accessToken = `gho_${randomBytes(18).toString('base64url')}`;
    tokens.set(accessToken, { user: issued.user, scope: issued.scope });
    answer({ access_token: accessToken, token_type: 'bearer', scope: issued.scope });
  }

  function authenticatedUser(request: IncomingMessage, response: ServerResponse): void {
    if (takeFailure(['user-500'])) return sendJson(response, 500, { message: 'Server Error' });
    const [scheme = '', token = ''] = (request.headers.authorization ?? '').split(' ');
    const issued = /^(bearer|token)$/i.test(scheme) ? tokens.get(token) : undefined;
    if (!issued) {
      return sendJson(response, 401, {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
        status: '401',
      });
    }
    const { id, login, name, email } = issued.user;
    sendJson(
      response,
      200,
      {
        login,
        id,
        node_id: `U_${Buffer.from(String(id)).toString('base64url')}`,
        avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
        html_url: `https://github.com/${login}`,
        type: 'User',
        site_admin: false,
        name,
        email,
      },
      { 'x-oauth-scopes': issued.scope.replaceAll(',', ', ') },
    );
  }

  const server = await startLoopbackServer(async (request, response) => {
    const url = requestUrl(request, server.url);
    requests.push({ path: url.pathname, method: request.method ?? 'GET' });
    const route = `${request.method} ${url.pathname}`;
    if (route === 'GET /login/oauth/authorize') return authorize(url, response);
    if (route === 'POST /login/oauth/access_token') return exchange(request, response);
    if (route === 'GET /user') return authenticatedUser(request, response);
    sendJson(response, 404, { message: 'Not Found' });
  });

  return {
    url: server.url,
    authorizationEndpoint: `${server.url}/login/oauth/authorize`,
    tokenEndpoint: `${server.url}/login/oauth/access_token`,
    userEndpoint: `${server.url}/user`,
    setUser: (next) => {
      user = { ...next };
    },
    failNext: (kind) => {
      failures.push(kind);
    },
    requests,
    stop: () => {
      stopping.abort();
      return server.stop();
    },
  };
}

function waitOrStop(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
