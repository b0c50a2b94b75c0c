import { startCraftedOpenIdProvider, type CraftedOpenIdProvider, type Misbehaviour } from './harness/crafted-openid-provider';
import { startGithubShapedProvider, type GithubFailure, type GithubShapedProvider } from './harness/github-shaped-provider';
import { startOpenIdProvider, type TestOpenIdProvider } from './harness/openid-provider';
import { redirectTarget, signInAtProvider } from './harness/provider-browser';
import {
  codeOf,
  freshLogin,
  githubProviderInput,
  OIDC_CLAIM_MAPPING,
  opClient,
  TEST_CLIENT,
  providerSignInApi,
  type CallbackResult,
  type ProviderSignInApi,
  type StartedProviderLogin,
} from './harness/provider-sign-in';
import { useStack } from './harness/stack';
import { ok } from './harness/tenant-api';

const CLIENT = TEST_CLIENT;

/** The same callback URL with some parameters replaced (or removed, with null). */
function tampered(url: string, changes: Record<string, string | null>): string {
  const next = new URL(url);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) next.searchParams.delete(name);
    else next.searchParams.set(name, value);
  }
  return next.href;
}

function outcomeOf(result: CallbackResult): string {
  return result.kind === 'returned' ? result.outcome : `refused ${result.status} ${result.code}`;
}

describe('sign-in through upstream providers: every way the callback can be wrong is refused, and links nothing', () => {
  const env = useStack();
  let api: ProviderSignInApi;
  let tenantId: string;
  let callback: string;
  let opA: TestOpenIdProvider;
  let opB: TestOpenIdProvider;
  let crafted: CraftedOpenIdProvider;
  let github: GithubShapedProvider;
  const providers = { a: '', b: '', crafted: '', workspace: '', github: '', unreachable: '' };

  beforeAll(async () => {
    api = providerSignInApi(env);
    ({
      tenant: { id: tenantId },
      callback,
    } = await api.tenant());
    [opA, opB, crafted, github] = await Promise.all([
      startOpenIdProvider({ clients: [opClient(callback)] }),
      startOpenIdProvider({ clients: [opClient(callback)] }),
      startCraftedOpenIdProvider({ clients: [{ clientId: CLIENT.id, clientSecret: CLIENT.secret, redirectUris: [callback] }] }),
      startGithubShapedProvider({
        clients: [{ clientId: 'Iv1.github', clientSecret: 'github-secret', redirectUris: [callback] }],
      }),
    ]);
    const oidc = (issuer: string, displayName: string) => ({
      tenantId,
      kind: 'OIDC',
      displayName,
      issuer,
      clientId: CLIENT.id,
      clientSecret: CLIENT.secret,
      scopes: ['openid', 'email', 'profile'],
      claimMapping: OIDC_CLAIM_MAPPING,
    });
    providers.a = await api.registerProvider(oidc(opA.issuer, 'Provider A'));
    providers.b = await api.registerProvider(oidc(opB.issuer, 'Provider B'));
    providers.crafted = await api.registerProvider(oidc(crafted.issuer, 'Crafted'));
    providers.workspace = await api.registerProvider({
      ...oidc(crafted.issuer, 'Workspace'),
      requiredHostedDomain: 'example.com',
    });
    // Nothing listens there: discovery fails.
    providers.unreachable = await api.registerProvider(oidc('http://127.0.0.1:9', 'Unreachable'));
    providers.github = await api.registerProvider(
      githubProviderInput(tenantId, github, { claimMapping: { subject: 'id', username: 'login', name: 'name' } }),
    );
  });

  afterAll(async () => {
    await Promise.all([opA?.stop(), opB?.stop(), crafted?.stop(), github?.stop()]);
  });

  async function atOp(op: 'a' | 'b', login: string): Promise<{ started: StartedProviderLogin; callbackUrl: string }> {
    const started = await api.started(tenantId, providers[op]);
    return { started, callbackUrl: await signInAtProvider(started.authorizeUrl, { login, stopAt: callback }) };
  }

  async function complete(started: StartedProviderLogin) {
    return api.completeProviderLogin({ flowId: started.flow.id, completionSecret: started.completionSecret });
  }

  /** After a refusal, the same person's real sign-in still finds no account: nothing was linked or created. */
  async function expectNothingLinked(op: 'a' | 'b', login: string): Promise<void> {
    const { started, callbackUrl } = await atOp(op, login);
    expect(outcomeOf(await api.callback(callbackUrl))).toBe('SUCCEEDED');
    expect(ok(await complete(started)).completeProviderLogin.accountCreated).toBe(true);
  }

  it('refuses a callback without state, or with a state that is not the flow’s, and leaves the flow waiting', async () => {
    const login = freshLogin('state');
    const { started, callbackUrl } = await atOp('a', login);
    expect(await api.callback(tampered(callbackUrl, { state: null }))).toEqual({
      kind: 'refused',
      status: 400,
      code: 'INVALID_STATE',
    });
    const forged = `${started.flow.id}.forged-secret-forged-secret-forged-secret`;
    expect(await api.callback(tampered(callbackUrl, { state: forged }))).toEqual({
      kind: 'refused',
      status: 400,
      code: 'INVALID_STATE',
    });
    expect(await api.callback(tampered(callbackUrl, { state: 'garbage' }))).toMatchObject({ code: 'INVALID_STATE' });
    // The real callback still works: the refusals changed nothing.
    expect(outcomeOf(await api.callback(callbackUrl))).toBe('SUCCEEDED');
    expect(ok(await complete(started)).completeProviderLogin.accountCreated).toBe(true);
  });

  it('refuses a callback in a browser other than the one that started the flow (no flow cookie), changing nothing', async () => {
    const { started, callbackUrl } = await atOp('a', freshLogin('csrf'));
    expect(started.browserCookie).toMatch(new RegExp(`^mfl_${started.flow.id}=`));
    expect(started.browserCookieAttributes).toBe(`Path=${new URL(callback).pathname}; Max-Age=600; HttpOnly; SameSite=Lax`);
    expect(await api.callback(callbackUrl, 'another browser')).toEqual({ kind: 'refused', status: 400, code: 'INVALID_STATE' });
    expect(outcomeOf(await api.callback(callbackUrl))).toBe('SUCCEEDED');
    expect(ok(await complete(started)).completeProviderLogin.accountCreated).toBe(true);
  });

  it('refuses a replayed callback without disturbing the flow it replays', async () => {
    const { started, callbackUrl } = await atOp('a', freshLogin('replay'));
    expect(outcomeOf(await api.callback(callbackUrl))).toBe('SUCCEEDED');
    expect(outcomeOf(await api.callback(callbackUrl))).toBe('INVALID_STATE');
    expect(ok(await complete(started)).completeProviderLogin.accountCreated).toBe(true);
    expect(outcomeOf(await api.callback(callbackUrl))).toBe('INVALID_STATE');
  });

  it('refuses an authorization response naming another issuer, or none where the provider sends one (RFC 9207)', async () => {
    const login = freshLogin('iss');
    const wrongIss = await atOp('a', login);
    expect(outcomeOf(await api.callback(tampered(wrongIss.callbackUrl, { iss: opB.issuer })))).toBe('ISSUER_MISMATCH');
    expect(codeOf(await complete(wrongIss.started))).toBe('ISSUER_MISMATCH');
    const noIss = await atOp('a', login);
    expect(outcomeOf(await api.callback(tampered(noIss.callbackUrl, { iss: null })))).toBe('ISSUER_MISMATCH');
    await expectNothingLinked('a', login);
  });

  it("refuses a mix-up: provider B's code and issuer delivered into a flow started with provider A", async () => {
    const login = freshLogin('mixup');
    const atA = await atOp('a', login);
    const atB = await atOp('b', login);
    const mixed = tampered(atB.callbackUrl, { state: new URL(atA.callbackUrl).searchParams.get('state') });
    expect(outcomeOf(await api.callback(mixed))).toBe('ISSUER_MISMATCH');
    await expectNothingLinked('a', login);
    await expectNothingLinked('b', login);
  });

  it("refuses another flow's code (the PKCE verifier does not match) and a code used already", async () => {
    const login = freshLogin('pkce');
    const first = await atOp('a', login);
    const second = await atOp('a', login);
    const injected = tampered(first.callbackUrl, { state: new URL(second.callbackUrl).searchParams.get('state') });
    expect(outcomeOf(await api.callback(injected))).toBe('UPSTREAM_REFUSED');
    expect(codeOf(await complete(second.started))).toBe('UPSTREAM_REFUSED');

    const used = await atOp('a', login);
    expect(outcomeOf(await api.callback(used.callbackUrl))).toBe('SUCCEEDED');
    expect(ok(await complete(used.started)).completeProviderLogin.accountCreated).toBe(true);
    const later = await atOp('a', login);
    const replayedCode = tampered(used.callbackUrl, { state: new URL(later.callbackUrl).searchParams.get('state') });
    expect(outcomeOf(await api.callback(replayedCode))).toBe('UPSTREAM_REFUSED');
  });

  it('refuses the sign-in when the person declines at the provider', async () => {
    const { callbackUrl } = await atOp('a', freshLogin('declines'));
    const declined = tampered(callbackUrl, { code: null, error: 'access_denied' });
    expect(outcomeOf(await api.callback(declined))).toBe('UPSTREAM_DENIED');
  });

  const spoiled: [string, Misbehaviour][] = [
    ['a nonce that is not the flow’s', { kind: 'nonce-mismatch' }],
    ['another audience', { kind: 'wrong-aud' }],
    ['an expired ID token', { kind: 'expired' }],
    ['alg: none', { kind: 'alg-none' }],
    ['another issuer in the ID token', { kind: 'wrong-iss' }],
    ['a signature by a key not in the provider’s JWKS', { kind: 'signed-by-other-key' }],
  ];
  it.each(spoiled)('refuses an ID token with %s, linking nothing', async (_name, misbehaviour) => {
    const subject = freshLogin('crafted');
    crafted.setSubject(subject);
    crafted.misbehave(misbehaviour);
    const started = await api.started(tenantId, providers.crafted);
    expect(outcomeOf(await api.callback(await redirectTarget(started.authorizeUrl)))).toBe('INVALID_ID_TOKEN');
    expect(codeOf(await complete(started))).toBe('INVALID_ID_TOKEN');
    // The well-behaved next round is this subject's first sign-in.
    const honest = await api.started(tenantId, providers.crafted);
    expect(outcomeOf(await api.callback(await redirectTarget(honest.authorizeUrl)))).toBe('SUCCEEDED');
    expect(ok(await complete(honest)).completeProviderLogin.accountCreated).toBe(true);
  });

  it('admits only ID tokens of the required Google Workspace domain (`hd`) where the tenant restricts it', async () => {
    for (const [hd, outcome] of [
      [undefined, 'HOSTED_DOMAIN_NOT_ALLOWED'],
      ['evil.example', 'HOSTED_DOMAIN_NOT_ALLOWED'],
      ['example.com', 'SUCCEEDED'],
    ] as const) {
      crafted.setSubject(freshLogin('workspace'));
      if (hd) crafted.misbehave({ kind: 'claims', claims: { hd } });
      const started = await api.started(tenantId, providers.workspace);
      expect(outcomeOf(await api.callback(await redirectTarget(started.authorizeUrl)))).toBe(outcome);
    }
  });

  const failures: [GithubFailure, string][] = [
    ['token-500', 'UPSTREAM_UNAVAILABLE'],
    ['token-bad-json', 'UPSTREAM_INVALID_RESPONSE'],
    ['user-500', 'UPSTREAM_UNAVAILABLE'],
    ['slow-token', 'UPSTREAM_UNAVAILABLE'],
  ];
  it.each(failures)('ends the flow with a clear code when the OAuth 2.0 provider fails (%s)', async (failure, code) => {
    github.failNext(failure);
    const started = await api.started(tenantId, providers.github);
    expect(outcomeOf(await api.callback(await redirectTarget(started.authorizeUrl)))).toBe(code);
    expect(codeOf(await complete(started))).toBe(code);
  });

  it('answers an unreachable provider with a code, not a server error', async () => {
    const response = await api.startProviderLogin({ tenantId, providerId: providers.unreachable });
    expect(response.status).toBeLessThan(500);
    expect(codeOf(response)).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('counts upstream failures by provider and code at /metrics', async () => {
    const text = await (await fetch(`${env.stack.adminUrls.identity}/metrics`)).text();
    const count = (provider: string, code: string) =>
      Number(
        new RegExp(`identity_upstream_failures_total\\{[^}]*provider="${provider}",code="${code}"[^}]*\\} (\\d+)`).exec(
          text,
        )?.[1] ?? 0,
      );
    expect(count(providers.crafted, 'INVALID_ID_TOKEN')).toBeGreaterThanOrEqual(6);
    expect(count(providers.github, 'UPSTREAM_UNAVAILABLE')).toBeGreaterThanOrEqual(3);
    expect(count(providers.a, 'ISSUER_MISMATCH')).toBeGreaterThanOrEqual(3);
  });
});
