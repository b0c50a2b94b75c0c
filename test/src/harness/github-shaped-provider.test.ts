import { startGithubShapedProvider, type GithubShapedProvider } from './github-shaped-provider';
import { s256Challenge } from './pkce-challenge';
import { redirectTarget } from './provider-browser';

const CALLBACK = 'http://127.0.0.1:9/github/callback';
const APP = { clientId: 'Iv1.test', clientSecret: 'github-secret', redirectUris: [CALLBACK] };
const VERIFIER = 'a-code-verifier-that-is-long-enough-for-pkce-0123456789';

describe('the GitHub-shaped OAuth server', () => {
  let github: GithubShapedProvider;
  beforeEach(async () => {
    github = await startGithubShapedProvider({ clients: [APP] });
  });
  afterEach(() => github.stop());

  function authorizeUrl(parameters: Record<string, string> = {}): string {
    const url = new URL(github.authorizationEndpoint);
    const defaults = { client_id: APP.clientId, redirect_uri: CALLBACK, state: 'st4te', scope: 'read:user user:email' };
    for (const [name, value] of Object.entries({
      ...defaults,
      code_challenge: s256Challenge(VERIFIER),
      code_challenge_method: 'S256',
      ...parameters,
    })) {
      url.searchParams.set(name, value);
    }
    return url.href;
  }

  async function codeFromAuthorize(parameters?: Record<string, string>): Promise<string> {
    return new URL(await redirectTarget(authorizeUrl(parameters))).searchParams.get('code')!;
  }

  async function exchange(body: Record<string, string>, json = true): Promise<Response> {
    return fetch(github.tokenEndpoint, {
      method: 'POST',
      headers: {
        accept: 'application/json',
        ...(json ? { 'content-type': 'application/json' } : { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      body: json ? JSON.stringify(body) : new URLSearchParams(body).toString(),
    });
  }

  const grant = (code: string, overrides: Record<string, string> = {}) => ({
    client_id: APP.clientId,
    client_secret: APP.clientSecret,
    code,
    redirect_uri: CALLBACK,
    code_verifier: VERIFIER,
    ...overrides,
  });

  it('redirects, issues a token for the code and answers /user for it', async () => {
    const target = new URL(await redirectTarget(authorizeUrl()));
    expect(target.origin + target.pathname).toBe(CALLBACK);
    expect(target.searchParams.get('state')).toBe('st4te');

    const response = await exchange(grant(target.searchParams.get('code')!), false);
    expect(response.status).toBe(200);
    const token = (await response.json()) as Record<string, string>;
    expect(token).toEqual({ access_token: expect.stringMatching(/^gho_/), token_type: 'bearer', scope: 'read:user,user:email' });

    for (const scheme of ['Bearer', 'token']) {
      const user = await fetch(github.userEndpoint, { headers: { authorization: `${scheme} ${token['access_token']}` } });
      expect(user.status).toBe(200);
      expect(await user.json()).toEqual(expect.objectContaining({ id: 1234567, login: 'mikalv', name: 'Mikal V', email: null }));
    }
    expect(github.requests).toEqual([
      { method: 'GET', path: '/login/oauth/authorize' },
      { method: 'POST', path: '/login/oauth/access_token' },
      { method: 'GET', path: '/user' },
      { method: 'GET', path: '/user' },
    ]);
  });

  it('signs in whoever the test sets as the user', async () => {
    github.setUser({ id: 42, login: 'octo', name: null, email: 'octo@example.test' });
    const token = (await (await exchange(grant(await codeFromAuthorize()))).json()) as Record<string, string>;

    const user = await fetch(github.userEndpoint, { headers: { authorization: `Bearer ${token['access_token']}` } });
    expect(await user.json()).toEqual(expect.objectContaining({ id: 42, login: 'octo', name: null, email: 'octo@example.test' }));
  });

  it.each([
    ['an unknown client_id', { client_id: 'someone-else' }],
    ['an unregistered redirect_uri', { redirect_uri: `${CALLBACK}/more` }],
  ])('refuses %s with a page, not a redirect', async (_case, parameters) => {
    const response = await fetch(authorizeUrl(parameters), { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('content-type')).toContain('text/html');
  });

  it.each([
    ['a wrong secret', { client_secret: 'wrong' }, 'incorrect_client_credentials'],
    ['a wrong verifier', { code_verifier: `${VERIFIER}-not` }, 'bad_verification_code'],
    ['a wrong code', { code: 'nope' }, 'bad_verification_code'],
    ['another redirect_uri', { redirect_uri: 'http://127.0.0.1:9/other' }, 'redirect_uri_mismatch'],
  ])('answers %s with status 200 and an error, as GitHub does', async (_case, overrides, error) => {
    const response = await exchange(grant(await codeFromAuthorize(), overrides));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ error, error_description: expect.any(String), error_uri: expect.any(String) });
  });

  it('takes a code once only', async () => {
    const code = await codeFromAuthorize();
    expect(await (await exchange(grant(code))).json()).toHaveProperty('access_token');
    expect(await (await exchange(grant(code))).json()).toHaveProperty('error', 'bad_verification_code');
  });

  it('refuses /user without a token it issued', async () => {
    const response = await fetch(github.userEndpoint, { headers: { authorization: 'Bearer gho_forged' } });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual(expect.objectContaining({ message: 'Bad credentials' }));
  });

  it('fails the next requests when told to', async () => {
    github.failNext('token-500');
    expect((await exchange(grant(await codeFromAuthorize()))).status).toBe(500);

    github.failNext('token-bad-json');
    await expect((await exchange(grant(await codeFromAuthorize()))).json()).rejects.toThrow(/JSON/);

    github.failNext('user-500');
    const token = (await (await exchange(grant(await codeFromAuthorize()))).json()) as Record<string, string>;
    const headers = { authorization: `Bearer ${token['access_token']}` };
    expect((await fetch(github.userEndpoint, { headers })).status).toBe(500);
    expect((await fetch(github.userEndpoint, { headers })).status).toBe(200);
  });

  it('holds a slow token response until it stops, and stops at once', async () => {
    github.failNext('slow-token');
    const pending = exchange(grant(await codeFromAuthorize()));
    await new Promise((resolve) => setTimeout(resolve, 100));

    const started = Date.now();
    await github.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(pending).rejects.toThrow();
  });
});
