import { randomBytes } from 'node:crypto';
import { allPages, auditApi, type AuditApi, type FeedEntryView } from './harness/audit-api';
import { eventually } from './harness/eventually';
import { signInApi, type SignedIn, type SignInApi } from './harness/sign-in';
import { useStack } from './harness/stack';
import { codeOf } from './harness/support-api';
import { ok, personIn, tenantApi, unique, type Person } from './harness/tenant-api';

const PLATFORM_TENANT_ID = 'ten_platform';

/**
 * A tenant's audit log through the gateway on the real stack: filtered by account, actor,
 * types and time, paged by cursor, read by the tenant's administrators and support agents and
 * by platform support, and refused to everyone else.
 */
describe('the audit log, through the gateway', () => {
  const env = useStack();
  let signIn: SignInApi;
  let audit: AuditApi;
  let tenantId: string;
  let admin: Person;
  let agent: Person;
  let platformSupport: Person;
  let otherAdmin: Person;
  let otherAgent: Person;
  let kari: SignedIn;
  let ola: SignedIn;
  let between: string;

  const email = (label: string) => `${label}.${Date.now()}.${randomBytes(3).toString('hex')}@example.com`;
  const profile = (token: string, input: Record<string, unknown>) =>
    env.stack.graphql(
      `mutation ($input: UpdateProfileInput!) { updateProfile(input: $input) { account { id } } }`,
      { input },
      token,
    );

  /** The whole log (cursor pages of `first`), once the audit subgraph holds at least `atLeast` entries of it. */
  const everything = (token: string, filter = {}, first = 100) => allPages(audit, token, { tenant: tenantId, filter, first });

  beforeAll(async () => {
    signIn = signInApi(env.stack);
    audit = auditApi(env.stack);
    const tenants = tenantApi({ stack: env.stack, adminToken: env.adminToken });
    const [tenant, other] = await Promise.all([
      tenants.createTenant({ name: unique('Audit log') }),
      tenants.createTenant({ name: unique('Audit other') }),
    ]);
    tenantId = ok(tenant).createTenant.tenant.id;
    const otherId = ok(other).createTenant.tenant.id;
    [admin, agent, otherAdmin, otherAgent, platformSupport] = await Promise.all([
      personIn(env, tenantId, ['tenant_admin']),
      personIn(env, tenantId, ['support_agent']),
      personIn(env, otherId, ['tenant_admin']),
      personIn(env, otherId, ['support_agent']),
      personIn(env, PLATFORM_TENANT_ID, ['support_agent']),
    ]);
    ok(await tenants.updatePolicy({ tenantId, otpSendLimits: { perIdentifierPerHour: 50, perIpPerHour: 500 } }, admin.token));
    kari = await eventually(() => signIn.signIn(tenantId, { email: email('kari') }), { timeoutMs: 30_000, intervalMs: 250 });
    ok(await profile(kari.accessToken, { displayName: 'Kari A' }));
    // Every entry so far is recorded before `between`; Ola's come after it.
    await eventually(async () => {
      const types = (await everything(admin.token, { account: kari.account.id })).map((entry) => entry.type);
      if (!types.includes('identity.account.updated')) throw new Error('not recorded yet');
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    between = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    ola = await signIn.signIn(tenantId, { email: email('ola') });
    ok(await profile(ola.accessToken, { displayName: 'Ola B' }));
    await eventually(async () => {
      const types = (await everything(admin.token, { account: ola.account.id })).map((entry) => entry.type);
      if (!types.includes('identity.account.updated')) throw new Error('not recorded yet');
    });
  });

  const sorted = (entries: FeedEntryView[]) => [...entries].sort((a, b) => (a.id < b.id ? 1 : -1));

  it('lists the tenant’s entries newest first, the same in pages of 2 as in one page', async () => {
    const whole = await everything(admin.token);
    expect(whole.length).toBeGreaterThanOrEqual(7);
    expect(whole).toEqual(sorted(whole));
    const paged = await everything(admin.token, {}, 2);
    expect(paged.map((entry) => entry.id)).toEqual(whole.map((entry) => entry.id));
    const first = ok(await audit.auditLog(admin.token, { tenant: tenantId, first: 2 })).auditLog;
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(first.edges).toHaveLength(2);
  });

  it('filters by account, actor, types and time, each alone and together', async () => {
    const whole = await everything(admin.token);
    const byAccount = await everything(admin.token, { account: kari.account.id });
    expect(byAccount.map((e) => e.id)).toEqual(whole.filter((e) => e.accountId === kari.account.id).map((e) => e.id));
    expect(byAccount.map((e) => e.type)).toEqual(
      expect.arrayContaining(['identity.account.created', 'identity.session.started', 'identity.account.updated']),
    );

    const byActor = await everything(admin.token, { actor: admin.accountId });
    expect(byActor.map((e) => e.type)).toEqual(['tenant.tenant.policy_updated']);
    // The tenant subgraph records an administrator changing their own tenant as an account actor.
    expect(byActor[0]!.actor).toMatchObject({ kind: 'USER', id: admin.accountId });

    const types = ['identity.session.started', 'identity.account.updated'];
    const byTypes = await everything(admin.token, { types }, 1);
    expect(byTypes.map((e) => e.id)).toEqual(whole.filter((e) => types.includes(e.type)).map((e) => e.id));
    expect(byTypes.length).toBeGreaterThanOrEqual(4);

    const later = await everything(admin.token, { from: between });
    expect(later.map((e) => e.id)).toEqual(whole.filter((e) => e.occurredAt >= between).map((e) => e.id));
    expect(later.every((e) => e.accountId === ola.account.id)).toBe(true);
    expect(later.length).toBeGreaterThanOrEqual(3);
    const earlier = await everything(admin.token, { to: between });
    expect(earlier.map((e) => e.id)).toEqual(whole.filter((e) => e.occurredAt <= between).map((e) => e.id));
    expect(earlier.some((e) => e.accountId === ola.account.id)).toBe(false);

    const together = await everything(admin.token, {
      account: ola.account.id,
      actor: ola.account.id,
      types: ['identity.account.updated'],
      from: between,
    });
    expect(together.map((e) => [e.type, e.sentence])).toEqual([['identity.account.updated', 'Profile changed']]);
    expect(await everything(admin.token, { account: kari.account.id, from: between })).toEqual([]);
  });

  it("is read by the tenant's support agents and by platform support", async () => {
    const whole = (await everything(admin.token)).map((e) => e.id);
    expect((await everything(agent.token)).map((e) => e.id)).toEqual(whole);
    expect((await everything(platformSupport.token)).map((e) => e.id)).toEqual(whole);
  });

  it('is FORBIDDEN to a plain member and to the administrators and support agents of another tenant', async () => {
    for (const token of [kari.accessToken, otherAdmin.token, otherAgent.token]) {
      const refused = await audit.auditLog(token, { tenant: tenantId });
      expect({ code: codeOf(refused), data: refused.data?.auditLog ?? null }).toEqual({ code: 'FORBIDDEN', data: null });
    }
    expect(codeOf(await audit.auditLog('', { tenant: tenantId }))).toMatch(/UNAUTHENTICATED|FORBIDDEN/);
    const ownTenantOnly = await audit.auditLog(kari.accessToken, { tenant: tenantId, filter: { account: kari.account.id } });
    expect(codeOf(ownTenantOnly)).toBe('FORBIDDEN');
  });

  it('refuses malformed filters and pages as BAD_USER_INPUT', async () => {
    expect(codeOf(await audit.auditLog(admin.token, { tenant: tenantId, filter: { types: ['not a type'] } }))).toBe(
      'BAD_USER_INPUT',
    );
    expect(
      codeOf(await audit.auditLog(admin.token, { tenant: tenantId, filter: { from: between, to: '2020-01-01T00:00:00Z' } })),
    ).toBe('BAD_USER_INPUT');
    expect(codeOf(await audit.auditLog(admin.token, { tenant: tenantId, first: 101 }))).toBe('BAD_USER_INPUT');
  });

  it('keeps Tenant.auditLog working, for the same callers', async () => {
    const query = `query ($id: ID!) { tenant(id: $id) { auditLog(first: 100) { edges { node { id } } } } }`;
    const answer = ok(
      await env.stack.graphql<{ tenant: { auditLog: { edges: { node: { id: string } }[] } } }>(
        query,
        { id: tenantId },
        admin.token,
      ),
    );
    expect(answer.tenant.auditLog.edges.map((edge) => edge.node.id)).toEqual(
      (await everything(admin.token)).slice(0, 100).map((e) => e.id),
    );
  });
});
