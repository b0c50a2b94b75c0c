import { decodeJwt } from 'jose';
import { DEFAULT_GITHUB_USER, startGithubShapedProvider, type GithubShapedProvider } from './harness/github-shaped-provider';
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
  RETURN_TO,
  type CallbackResult,
  type ProviderSignInApi,
} from './harness/provider-sign-in';
import { signInApi } from './harness/sign-in';
import { useStack } from './harness/stack';
import { ok } from './harness/tenant-api';

const CLIENT = TEST_CLIENT;

function returned(result: CallbackResult): { flow: string; outcome: string; location: URL } {
  if (result.kind !== 'returned') throw new Error(`expected a redirect back to the app, got ${JSON.stringify(result)}`);
  return result;
}

describe('sign-in through upstream providers (two real OpenID Providers and a GitHub-shaped OAuth 2.0 server)', () => {
  const env = useStack();
  let api: ProviderSignInApi;
  let tenantId: string;
  let callback: string;
  let opA: TestOpenIdProvider;
  let opB: TestOpenIdProvider;
  let github: GithubShapedProvider;
  const providers = { a: '', b: '', github: '' };
  const closed = { tenantId: '', providerId: '' };
  const victimEmail = `victim-${Date.now()}@example.test`;

  beforeAll(async () => {
    api = providerSignInApi(env);
    ({
      tenant: { id: tenantId },
      callback,
    } = await api.tenant());
    const closedTenant = await api.tenant({ allowSignUp: false });
    closed.tenantId = closedTenant.tenant.id;
    const claims = (sub: string) => {
      if (sub.startsWith('unverified'))
        return { email: `${sub}@example.test`, email_verified: false, name: sub, preferred_username: sub };
      if (sub.startsWith('copycat')) return { email: victimEmail, email_verified: true, name: sub, preferred_username: sub };
      return { email: `${sub}@example.test`, email_verified: true, name: `Person ${sub}`, preferred_username: sub };
    };
    [opA, opB, github] = await Promise.all([
      startOpenIdProvider({ clients: [opClient(callback)], claims }),
      startOpenIdProvider({ clients: [opClient(callback)], claims }),
      startGithubShapedProvider({
        clients: [{ clientId: 'Iv1.github', clientSecret: 'github-secret', redirectUris: [callback, closedTenant.callback] }],
      }),
    ]);
    const oidc = (op: TestOpenIdProvider, name: string) => ({
      tenantId,
      kind: 'OIDC',
      displayName: name,
      issuer: op.issuer,
      clientId: CLIENT.id,
      clientSecret: CLIENT.secret,
      scopes: ['openid', 'email', 'profile'],
      claimMapping: OIDC_CLAIM_MAPPING,
    });
    providers.a = await api.registerProvider(oidc(opA, 'Provider A'));
    providers.b = await api.registerProvider(oidc(opB, 'Provider B'));
    providers.github = await api.registerProvider(
      githubProviderInput(tenantId, github, {
        badgeKey: 'github',
        claimMapping: { subject: 'id', username: 'login', email: 'email', name: 'name' },
        personal: true,
      }),
    );
    closed.providerId = await api.registerProvider(
      githubProviderInput(closed.tenantId, github, { claimMapping: { subject: 'id', username: 'login' } }),
    );
    // A person who signed up by email before: no provider may sign in to or attach to this account.
    await signInApi(env.stack).signIn(tenantId, { email: victimEmail });
  });

  afterAll(async () => {
    await Promise.all([opA?.stop(), opB?.stop(), github?.stop()]);
  });

  async function throughOp(op: 'a' | 'b', login: string) {
    const started = await api.started(tenantId, providers[op]);
    const callbackUrl = await signInAtProvider(started.authorizeUrl, { login, stopAt: callback });
    return { started, callbackUrl };
  }

  async function completed(started: { flow: { id: string }; completionSecret: string }) {
    return ok(await api.completeProviderLogin({ flowId: started.flow.id, completionSecret: started.completionSecret }))
      .completeProviderLogin;
  }

  const providerSignIns = async () => {
    const metric = await env.stack.services.identity.runtime.metrics.registry.getSingleMetric('identity_sign_ins_total')?.get();
    const value = metric?.values.find((v) => v.labels['method'] === 'PROVIDER' && v.labels['outcome'] === 'SIGNED_IN');
    return value?.value ?? 0;
  };

  it('signs a new person up through an OIDC provider, and the same person in again to the same account', async () => {
    const login = freshLogin('kari');
    const countedBefore = await providerSignIns();
    const first = await throughOp('a', login);
    const authorize = new URL(first.started.authorizeUrl);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(authorize.searchParams.get('redirect_uri')).toBe(callback);
    const back = returned(await api.callback(first.callbackUrl));
    // Only the flow id and the outcome go back to the app: no code, token or state.
    expect([...back.location.searchParams.keys()].sort()).toEqual(['flow', 'outcome']);
    expect(`${back.location.origin}${back.location.pathname}`).toBe(RETURN_TO);
    expect(back).toMatchObject({ flow: first.started.flow.id, outcome: 'SUCCEEDED' });
    const signedUp = await completed(first.started);
    expect(signedUp.accountCreated).toBe(true);
    expect(signedUp.account.displayName).toBe(`Person ${login}`);
    expect(signedUp.session).toMatchObject({ identityKind: 'OIDC', identityDisplayValue: login, status: 'ACTIVE' });
    expect(decodeJwt(signedUp.accessToken).sub).toBe(signedUp.account.id);

    const again = await throughOp('a', login);
    expect(returned(await api.callback(again.callbackUrl)).outcome).toBe('SUCCEEDED');
    const signedIn = await completed(again.started);
    expect(signedIn).toMatchObject({ accountCreated: false, account: { id: signedUp.account.id } });
    expect(await providerSignIns()).toBe(countedBefore + 2);

    // The access token works at the gateway like any other.
    const me = await env.stack.graphql<{ me: { id: string } }>('{ me { id } }', {}, signedIn.accessToken);
    expect(ok(me).me.id).toBe(signedUp.account.id);
  });

  it('keys identities by issuer and subject: the same subject at two providers is two people', async () => {
    const login = freshLogin('same-sub');
    const atA = await throughOp('a', login);
    returned(await api.callback(atA.callbackUrl));
    const atB = await throughOp('b', login);
    returned(await api.callback(atB.callbackUrl));
    const [a, b] = [await completed(atA.started), await completed(atB.started)];
    expect(a.accountCreated && b.accountCreated).toBe(true);
    expect(a.account.id).not.toBe(b.account.id);
  });

  it('signs in through the OAuth 2.0 provider by its stable numeric id, showing the login', async () => {
    github.setUser({ ...DEFAULT_GITHUB_USER, id: 4_000_001, login: 'mikalv' });
    const first = await api.started(tenantId, providers.github);
    const result = returned(await api.callback(await redirectTarget(first.authorizeUrl)));
    expect(result.outcome).toBe('SUCCEEDED');
    const signedUp = await completed(first);
    expect(signedUp.session).toMatchObject({ identityKind: 'OAUTH2', identityDisplayValue: 'mikalv' });
    expect(signedUp.account.displayName).toBe('Mikal V');

    // A renamed login is still the same person: the subject is the id, never the login.
    github.setUser({ ...DEFAULT_GITHUB_USER, id: 4_000_001, login: 'mikal-renamed' });
    const again = await api.started(tenantId, providers.github);
    expect(returned(await api.callback(await redirectTarget(again.authorizeUrl))).outcome).toBe('SUCCEEDED');
    expect((await completed(again)).account.id).toBe(signedUp.account.id);
  });

  it("never signs in to or attaches to an account because the provider's email matches it", async () => {
    const victim = await signInApi(env.stack).signIn(tenantId, { email: victimEmail });
    const copycat = await throughOp('a', freshLogin('copycat'));
    expect(returned(await api.callback(copycat.callbackUrl)).outcome).toBe('SUCCEEDED');
    const signedIn = await completed(copycat.started);
    expect(signedIn.accountCreated).toBe(true);
    expect(signedIn.account.id).not.toBe(victim.account.id);
    // The victim's account still has its one identity.
    const identities = await env.stack.graphql<{ account: { identities: { kind: string }[] } }>(
      'query ($id: ID!) { account(id: $id) { identities { kind } } }',
      { id: victim.account.id },
      env.adminToken,
    );
    expect(ok(identities).account.identities.map((identity) => identity.kind)).toEqual(['EMAIL']);

    // An unverified email is shown at most; it finds and joins nothing either.
    const unverified = await throughOp('a', freshLogin('unverified'));
    returned(await api.callback(unverified.callbackUrl));
    expect((await completed(unverified.started)).accountCreated).toBe(true);
  });

  it('hands the tokens over once, and only to the client holding the completion secret', async () => {
    const { started, callbackUrl } = await throughOp('a', freshLogin('once'));
    expect(codeOf(await api.completeProviderLogin({ flowId: started.flow.id, completionSecret: started.completionSecret }))).toBe(
      'PROVIDER_FLOW_PENDING',
    );
    returned(await api.callback(callbackUrl));
    expect(codeOf(await api.completeProviderLogin({ flowId: started.flow.id, completionSecret: 'guessed' }))).toBe('NOT_FOUND');
    await completed(started);
    expect(codeOf(await api.completeProviderLogin({ flowId: started.flow.id, completionSecret: started.completionSecret }))).toBe(
      'INVALID_STATE',
    );
  });

  it('refuses a return URL off the allow-list, and providers of other tenants', async () => {
    const offList = await api.startProviderLogin({ tenantId, providerId: providers.a, returnTo: `${RETURN_TO}/../evil` });
    expect(codeOf(offList)).toBe('RETURN_URL_NOT_ALLOWED');
    const prefix = await api.startProviderLogin({ tenantId, providerId: providers.a, returnTo: `${RETURN_TO}?next=/x` });
    expect(codeOf(prefix)).toBe('RETURN_URL_NOT_ALLOWED');
    const other = await api.tenant();
    expect(codeOf(await api.startProviderLogin({ tenantId: other.tenant.id, providerId: providers.a }))).toBe('NOT_FOUND');
  });

  it('refuses sign-up through a provider where the policy forbids it, creating nothing', async () => {
    github.setUser({ ...DEFAULT_GITHUB_USER, id: 4_000_002, login: 'newcomer' });
    const started = await api.started(closed.tenantId, closed.providerId);
    const result = returned(await api.callback(await redirectTarget(started.authorizeUrl)));
    expect(result.outcome).toBe('SIGN_UP_NOT_ALLOWED');
    const completion = await api.completeProviderLogin({ flowId: started.flow.id, completionSecret: started.completionSecret });
    expect(codeOf(completion)).toBe('SIGN_UP_NOT_ALLOWED');
    const accounts = await env.stack.graphql<{ accounts: { edges: unknown[] } }>(
      'query ($tenantId: ID) { accounts(tenantId: $tenantId) { edges { cursor } } }',
      { tenantId: closed.tenantId },
      env.adminToken,
    );
    expect(ok(accounts).accounts.edges).toEqual([]);
  });
});
