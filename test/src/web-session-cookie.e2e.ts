import { eventually } from './harness/eventually';
import { signInApi } from './harness/sign-in';
import { useStack, type GraphQLResponse } from './harness/stack';
import { ok, tenantApi, unique } from './harness/tenant-api';

const COMPLETE_LOGIN = `mutation ($input: CompleteLoginInput!) {
  completeLogin(input: $input) { accessToken refreshToken session { id } account { id } }
}`;
const REFRESH = `mutation ($input: RefreshSessionInput!) { refreshSession(input: $input) { accessToken refreshToken session { id } } }`;
const SIGN_OUT = `mutation { signOut(input: {}) { session { id status } } }`;

interface Answer<Data> extends GraphQLResponse<Data> {
  setCookies: string[];
}

/**
 * Web clients keep their refresh token in the tenant's session cookie: the gateway sets it
 * (httpOnly, SameSite=Strict, named and scoped by the tenant's session settings) and relays
 * it to the identity subgraph; script in the page never sees the token.
 */
describe('refresh tokens in the session cookie, for web clients', () => {
  const env = useStack();
  let tenantId: string;

  beforeAll(async () => {
    tenantId = ok(await tenantApi(env).createTenant({ name: unique('Web cookie') })).createTenant.tenant.id;
  });

  async function post<Data>(
    query: string,
    variables: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<Answer<Data>> {
    const response = await fetch(env.stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as Omit<GraphQLResponse<Data>, 'status'>;
    const setCookies = response.headers.getSetCookie();
    for (const cookie of setCookies) env.stack.handledSecrets.add(cookieValue(cookie));
    return { status: response.status, setCookies, ...body };
  }

  async function signInForTheWeb(inTenant: string) {
    const api = signInApi(env.stack);
    const email = `web.${Date.now()}.${Math.random().toString(36).slice(2, 6)}@example.com`;
    const since = env.stack.mailbox.messages.length;
    const flow = await eventually(async () => ok(await api.startLogin({ tenantId: inTenant, email })).startLogin.flow);
    const { code } = await api.codeFor(email, since);
    const answer = await post<{ completeLogin: { accessToken: string; refreshToken: string | null; session: { id: string } } }>(
      COMPLETE_LOGIN,
      {
        input: { flowId: flow.id, code, refreshTokenDelivery: 'COOKIE' },
      },
    );
    env.stack.handledSecrets.add(ok(answer).completeLogin.accessToken);
    return answer;
  }

  it('sets the cookie httpOnly and SameSite=Strict at sign-in, and leaves the token out of the payload', async () => {
    const answer = await signInForTheWeb(tenantId);
    expect(ok(answer).completeLogin.refreshToken).toBeNull();
    expect(answer.setCookies).toHaveLength(1);
    const cookie = answer.setCookies[0]!;
    expect(cookie).toMatch(/^messngr_session=mrt1\.[A-Za-z0-9._~-]+; /);
    expect(attributes(cookie)).toEqual(expect.arrayContaining(['Path=/graphql', 'HttpOnly', 'SameSite=Strict']));
    // Loopback development over http: no `Secure`, or the browser would drop the cookie.
    expect(attributes(cookie)).not.toContain('Secure');
    const maxAge = Number(
      attributes(cookie)
        .find((attribute) => attribute.startsWith('Max-Age='))
        ?.slice('Max-Age='.length),
    );
    expect(maxAge).toBeGreaterThan(3600);
    expect(maxAge).toBeLessThanOrEqual(14 * 24 * 3600);
  });

  it('refreshes from the cookie alone, rotating it; the rotated value is refused and the cookie deleted', async () => {
    const first = cookieValue((await signInForTheWeb(tenantId)).setCookies[0]!);
    const refreshed = await post<{ refreshSession: { accessToken: string; refreshToken: string | null } }>(
      REFRESH,
      { input: { tenantId } },
      { cookie: `other=1; messngr_session=${first}` },
    );
    expect(ok(refreshed).refreshSession.refreshToken).toBeNull();
    env.stack.handledSecrets.add(refreshed.data!.refreshSession.accessToken);
    const second = cookieValue(refreshed.setCookies[0]!);
    expect(second).not.toBe(first);
    const me = await env.stack.graphql<{ me: { id: string } }>(`{ me { id } }`, {}, refreshed.data!.refreshSession.accessToken);
    expect(ok(me).me.id).toBeTruthy();

    const third = cookieValue(
      (
        await post<{ refreshSession: { refreshToken: null } }>(
          REFRESH,
          { input: { tenantId } },
          { cookie: `messngr_session=${second}` },
        )
      ).setCookies[0]!,
    );
    // `first` is two generations back: a reuse, which ends the session and deletes the cookie.
    const reused = await post(REFRESH, { input: { tenantId } }, { cookie: `messngr_session=${first}` });
    expect(reused.errors?.[0]?.extensions?.code).toBe('REFRESH_TOKEN_REUSED');
    expect(reused.setCookies).toEqual([expect.stringMatching(/^messngr_session=; .*Max-Age=0/)]);
    const afterReuse = await post(REFRESH, { input: { tenantId } }, { cookie: `messngr_session=${third}` });
    expect(afterReuse.errors?.[0]?.extensions?.code).toBe('INVALID_REFRESH_TOKEN');
  });

  it('names and scopes the cookie by the tenant’s session settings, and refuses another tenant’s cookie', async () => {
    const tenants = tenantApi(env);
    const custom = ok(await tenants.createTenant({ name: unique('Web cookie custom') })).createTenant.tenant.id;
    ok(await tenants.updateTenant({ id: custom, session: { cookieName: 'chat_sid', cookieDomain: 'chat.example.com' } }));
    const answer = await eventually(async () => {
      const attempt = await signInForTheWeb(custom);
      if (!attempt.setCookies[0]?.startsWith('chat_sid='))
        throw new Error(`identity has not seen the settings yet: ${attempt.setCookies[0]}`);
      return attempt;
    });
    expect(attributes(answer.setCookies[0]!)).toContain('Domain=chat.example.com');

    // The other tenant's cookie value under this tenant's name is not this tenant's session.
    const value = cookieValue(answer.setCookies[0]!);
    const crossed = await post(REFRESH, { input: { tenantId } }, { cookie: `messngr_session=${value}` });
    expect(crossed.errors?.[0]?.extensions?.code).toBe('INVALID_REFRESH_TOKEN');
    const missing = await post(REFRESH, { input: { tenantId: custom } }, {});
    expect(missing.errors?.[0]?.extensions?.code).toBe('INVALID_REFRESH_TOKEN');
    const neither = await post(REFRESH, { input: {} }, {});
    expect(neither.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a cross-site (simple) request carrying the cookie: no refresh, no new cookie', async () => {
    const value = cookieValue((await signInForTheWeb(tenantId)).setCookies[0]!);
    // What a form on another site can send without a preflight.
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
      const response = await fetch(env.stack.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': contentType, cookie: `messngr_session=${value}` },
        body: JSON.stringify({ query: REFRESH, variables: { input: { tenantId } } }),
      });
      expect(response.status).toBe(400);
      expect(response.headers.getSetCookie()).toEqual([]);
    }
    const viaGet = await fetch(
      `${env.stack.gatewayUrl}?query=${encodeURIComponent(REFRESH)}&variables=${encodeURIComponent(JSON.stringify({ input: { tenantId } }))}`,
      {
        headers: { cookie: `messngr_session=${value}`, 'apollo-require-preflight': 'true' },
      },
    );
    expect(viaGet.status).toBeGreaterThanOrEqual(400);
    expect(viaGet.status).toBeLessThan(500);
    expect(viaGet.headers.getSetCookie()).toEqual([]);
    // The token still works: nothing above consumed it.
    const refreshed = await post<{ refreshSession: { accessToken: string } }>(
      REFRESH,
      { input: { tenantId } },
      { cookie: `messngr_session=${value}` },
    );
    env.stack.handledSecrets.add(ok(refreshed).refreshSession.accessToken);
  });

  it('deletes the cookie at sign-out', async () => {
    const answer = await signInForTheWeb(tenantId);
    const value = cookieValue(answer.setCookies[0]!);
    const signedOut = await post<{ signOut: { session: { status: string } } }>(
      SIGN_OUT,
      {},
      {
        authorization: `Bearer ${answer.data!.completeLogin.accessToken}`,
        cookie: `messngr_session=${value}`,
      },
    );
    expect(ok(signedOut).signOut.session.status).toBe('REVOKED');
    expect(signedOut.setCookies).toEqual([expect.stringMatching(/^messngr_session=; .*Max-Age=0/)]);
    const refused = await post(REFRESH, { input: { tenantId } }, { cookie: `messngr_session=${value}` });
    expect(refused.errors?.[0]?.extensions?.code).toBe('INVALID_REFRESH_TOKEN');
  });
});

function cookieValue(setCookie: string): string {
  const pair = setCookie.split(';')[0]!;
  return pair.slice(pair.indexOf('=') + 1);
}

function attributes(setCookie: string): string[] {
  return setCookie
    .split(';')
    .slice(1)
    .map((attribute) => attribute.trim());
}
