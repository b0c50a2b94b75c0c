import { decodeJwt } from 'jose';
import { signInApi } from './harness/sign-in';
import { useStack, type GraphQLResponse } from './harness/stack';
import { expectError, ok, tenantApi, unique } from './harness/tenant-api';

describe('signing in with a one-time code, through the gateway', () => {
  const env = useStack();
  let tenantId: string;

  beforeAll(async () => {
    const tenant = ok(await tenantApi(env).createTenant({ name: unique('Sign-in') })).createTenant.tenant;
    tenantId = tenant.id;
  });

  it('signs a new address up by email: the code arrives by SMTP, the session and tokens come back', async () => {
    const api = signInApi(env.stack);
    const email = `kari.${Date.now()}@example.com`;
    const since = env.stack.mailbox.messages.length;
    const started = await eventuallyOk(() => api.startLogin({ tenantId, email: `  ${email.toUpperCase()} ` }));
    const flow = started.startLogin.flow;
    expect(flow).toMatchObject({ state: 'CODE_SENT', channel: 'EMAIL', destination: 'k***@example.com' });
    const { message, code } = await api.codeFor(email, since);
    expect(message.subject).toBeTruthy();
    const signedIn = ok(
      await api.completeLogin({ flowId: flow.id, code, device: { name: 'Pixel 8', platform: 'ANDROID' } }),
    ).completeLogin;
    expect(signedIn).toMatchObject({
      accountCreated: true,
      session: { status: 'ACTIVE', current: false, identityKind: 'EMAIL' },
    });
    const claims = decodeJwt(signedIn.accessToken);
    expect(claims).toMatchObject({ sub: signedIn.account.id, sid: signedIn.session.id, tid: tenantId });
    expect(typeof claims.jti).toBe('string');

    const me = await env.stack.graphql<{
      me: { id: string; identities: { kind: string; verified: boolean }[]; sessions: { id: string; current: boolean }[] };
    }>(`{ me { id identities { kind verified displayValue } sessions { id current } } }`, {}, signedIn.accessToken);
    expect(ok(me).me).toMatchObject({
      id: signedIn.account.id,
      identities: [{ kind: 'EMAIL', verified: true }],
      sessions: [{ id: signedIn.session.id, current: true }],
    });

    // The second sign-in finds the same account.
    const again = await api.signIn(tenantId, { email });
    expect(again).toMatchObject({ accountCreated: false, account: { id: signedIn.account.id } });
  });

  it('refuses a wrong code, a used code and a replaced code', async () => {
    const api = signInApi(env.stack);
    const email = `ola.${Date.now()}@example.com`;
    const since = env.stack.mailbox.messages.length;
    const flow = (await eventuallyOk(() => api.startLogin({ tenantId, email }))).startLogin.flow;
    const { code } = await api.codeFor(email, since);
    const wrong = code === '000000' ? '111111' : '000000';
    expectError(await api.completeLogin({ flowId: flow.id, code: wrong }), 'INVALID_CODE');

    const beforeResend = env.stack.mailbox.messages.length;
    ok(await api.resendLoginCode(flow.id));
    const { code: fresh } = await api.codeFor(email, beforeResend);
    if (fresh !== code) expectError(await api.completeLogin({ flowId: flow.id, code }), 'INVALID_CODE');
    ok(await api.completeLogin({ flowId: flow.id, code: fresh }));
    expectError(await api.completeLogin({ flowId: flow.id, code: fresh }), 'INVALID_CODE');
  });

  it('rotates the refresh token on every use, and the rotated one revokes the family when it comes back', async () => {
    const api = signInApi(env.stack);
    const first = await api.signIn(tenantId, { email: `rot.${Date.now()}@example.com` });
    const second = ok(await api.refreshSession(first.refreshToken)).refreshSession;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    // Within the grace, the same token again gets the same successor.
    const retried = ok(await api.refreshSession(first.refreshToken)).refreshSession;
    expect(retried.refreshToken).toBe(second.refreshToken);
    const third = ok(await api.refreshSession(second.refreshToken)).refreshSession;
    // `first` is two generations back now: a reuse.
    expectError(await api.refreshSession(first.refreshToken), 'REFRESH_TOKEN_REUSED');
    expectError(await api.refreshSession(third.refreshToken), 'INVALID_REFRESH_TOKEN');
  });
});

async function eventuallyOk<Data>(call: () => Promise<GraphQLResponse<Data>>): Promise<Data> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const response = await call();
    if (!response.errors?.length || Date.now() > deadline) return ok(response);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
