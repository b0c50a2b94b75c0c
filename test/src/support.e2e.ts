import { decodeJwt } from 'jose';
import { producerTopic } from '@messngr/contracts';
import { eventually } from './harness/eventually';
import { RETURN_TO } from './harness/provider-sign-in';
import { PROBES, recordingStack, serverErrors, sessionsApi, type Recorded } from './harness/sessions-api';
import { signInApi, type SignedIn, type SignInApi } from './harness/sign-in';
import { useStack, type GraphQLResponse, type Stack } from './harness/stack';
import { codeOf, supportApi, type SupportApi } from './harness/support-api';
import { ok, personIn, tenantApi, unique, waitForEvent, type EventView, type Person } from './harness/tenant-api';
import { useTopicReader } from './harness/topic-reader';

const PLATFORM_TENANT_ID = 'ten_platform';

/**
 * Support staff through the gateway on the real stack: a tenant's administrators make support
 * agents (the account's roles in its tenant, carried by the token of its next sign-in); an
 * agent finds and inspects the tenant's accounts and ends their sessions, identities and
 * access, each time with a reason recorded as the event's actor and shown to the owner; an
 * agent of another tenant and a plain member can do none of it, for every operation.
 */
describe('support, through the gateway', () => {
  const env = useStack();
  const reader = useTopicReader([producerTopic('identity')]);
  let stack: Stack;
  let responses: Recorded[];
  let signIn: SignInApi;
  let support: SupportApi;
  let tenantA: string;
  let tenantB: string;
  let adminA: Person;
  let agentA: SignedIn;
  let agentB: SignedIn;
  let platformAgent: Person;
  let member: SignedIn;

  const email = (label: string) => `${label}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}@example.com`;

  async function newTenant(label: string): Promise<string> {
    const tenants = tenantApi({ stack, adminToken: env.adminToken });
    const tenant = ok(await tenants.createTenant({ name: unique(label) })).createTenant.tenant;
    ok(
      await tenants.updatePolicy({
        tenantId: tenant.id,
        allowedReturnUrls: [RETURN_TO],
        otpSendLimits: { perIdentifierPerHour: 50, perIpPerHour: 500 },
      }),
    );
    return tenant.id;
  }

  const firstSignIn = (tenantId: string, address: string, device?: { name: string; platform: string }) =>
    eventually(() => signIn.signIn(tenantId, { email: address }, device), { timeoutMs: 30_000, intervalMs: 250 });

  /** An account of the tenant made a support agent by `admin`, signed in again so its token carries the role. */
  async function supportAgentOf(tenantId: string, admin: Person): Promise<SignedIn> {
    const address = email('agent');
    const first = await firstSignIn(tenantId, address);
    ok(
      await support.setAccountRoles(admin.token, {
        accountId: first.account.id,
        tenantId,
        roles: ['SUPPORT_AGENT'],
        reason: 'joined the support team',
      }),
    );
    return signIn.signIn(tenantId, { email: address });
  }

  /** The actor an event's envelope records. */
  function actorOf(event: EventView): { actorid?: string; actortype?: string; actorreason?: string } {
    const { actorid, actortype, actorreason } = JSON.parse(event.raw) as Record<string, string>;
    return { actorid, actortype, actorreason };
  }

  beforeAll(async () => {
    ({ stack, responses } = recordingStack(env.stack));
    signIn = signInApi(stack);
    support = supportApi(stack);
    [tenantA, tenantB] = await Promise.all([newTenant('Support A'), newTenant('Support B')]);
    const [adminOfA, adminOfB] = await Promise.all([
      personIn(env, tenantA, ['tenant_admin']),
      personIn(env, tenantB, ['tenant_admin']),
    ]);
    adminA = adminOfA;
    [agentA, agentB, member] = await Promise.all([
      supportAgentOf(tenantA, adminOfA),
      supportAgentOf(tenantB, adminOfB),
      firstSignIn(tenantA, email('member')),
    ]);
    platformAgent = await personIn(env, PLATFORM_TENANT_ID, ['support_agent']);
  });

  afterEach(() => {
    expect(serverErrors(responses.splice(0))).toEqual([]);
  });

  describe('roles', () => {
    it("a tenant's admin makes a support agent, whose next sign-in's token carries the role", async () => {
      expect(decodeJwt(agentA.accessToken)['roles']).toEqual(['support_agent']);
      const event = await waitForEvent(reader, agentA.account.id, 'identity.account.roles_changed');
      expect(event.data).toMatchObject({ before: [], after: ['support_agent'] });
      expect(actorOf(event)).toEqual({
        actorid: adminA.accountId,
        actortype: 'tenant_admin',
        actorreason: 'joined the support team',
      });
    });

    it('support agents, other tenants and the account itself cannot change roles', async () => {
      const input = { accountId: member.account.id, tenantId: tenantA, roles: ['TENANT_ADMIN'], reason: 'promote me' };
      expect(codeOf(await support.setAccountRoles(agentA.accessToken, input))).toBe('FORBIDDEN');
      expect(codeOf(await support.setAccountRoles(agentB.accessToken, input))).toBe('FORBIDDEN');
      expect(codeOf(await support.setAccountRoles(member.accessToken, input))).toBe('FORBIDDEN');
      expect(codeOf(await support.setAccountRoles(adminA.token, { ...input, accountId: adminA.accountId }))).toBe('FORBIDDEN');
      expect(codeOf(await support.setAccountRoles(adminA.token, { ...input, roles: ['PLATFORM_ADMIN'] }))).toBe('BAD_USER_INPUT');
      const { reason: _reason, ...withoutReason } = input;
      expect(codeOf(await support.setAccountRoles(adminA.token, withoutReason))).toBe('BAD_USER_INPUT');
      expect(ok(await support.inspect(adminA.token, member.account.id)).account?.roles).toEqual([]);
    });

    it("taking the role away ends the agent's sessions: its token is refused on the next request", async () => {
      const agent = await supportAgentOf(tenantA, adminA);
      ok(await support.inspect(agent.accessToken, member.account.id));
      ok(await support.setAccountRoles(adminA.token, { accountId: agent.account.id, roles: [], reason: 'left the team' }));
      const answer = await stack.graphql(PROBES.identity, {}, agent.accessToken);
      expect({ status: answer.status, code: codeOf(answer) }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
      const ended = await waitForEvent(
        reader,
        agent.account.id,
        'identity.session.revoked',
        (e) => e.data['reason'] === 'ROLES_CHANGED',
      );
      expect(actorOf(ended)).toMatchObject({ actorid: adminA.accountId, actortype: 'tenant_admin' });
      const seen = ok(await support.inspect(adminA.token, agent.account.id)).account;
      expect(seen?.sessions.find((session) => session.id === agent.session.id)).toMatchObject({
        status: 'REVOKED',
        endReason: 'ROLES_CHANGED',
      });
      expect(seen?.roles).toEqual([]);
    });
  });

  describe('finding and inspecting an account', () => {
    let owner: SignedIn;
    let ownerEmail: string;
    beforeAll(async () => {
      ownerEmail = email('owner');
      owner = await firstSignIn(tenantA, ownerEmail, { name: 'Pixel 8', platform: 'ANDROID' });
    });

    it("the tenant's agent and platform support find it by email and see identities, sessions, devices and activity", async () => {
      for (const token of [agentA.accessToken, platformAgent.token]) {
        const found = ok(await support.searchAccounts(token, ownerEmail, tenantA)).accounts.edges.map((edge) => edge.node.id);
        expect(found).toEqual([owner.account.id]);
        const seen = await eventually(async () => {
          const account = ok(await support.inspect(token, owner.account.id, tenantA)).account;
          if (!account?.devices.length || !account.activity.edges.some((edge) => edge.node.type === 'identity.session.started'))
            throw new Error('not replicated yet');
          return account;
        });
        expect(seen.identities.map((identity) => identity.kind)).toEqual(['EMAIL']);
        expect(seen.sessions.map((session) => session.id)).toContain(owner.session.id);
        expect(seen.devices.map((device) => device.name)).toEqual(['Pixel 8']);
        expect(seen.activity.edges.map((edge) => edge.node.type)).toContain('identity.session.started');
      }
    });

    it("another tenant's agent and a plain member find and see nothing", async () => {
      expect(codeOf(await support.searchAccounts(agentB.accessToken, ownerEmail, tenantA))).toBe('FORBIDDEN');
      expect(ok(await support.searchAccounts(agentB.accessToken, ownerEmail)).accounts.edges).toEqual([]);
      expect(codeOf(await support.searchAccounts(member.accessToken, ownerEmail))).toBe('FORBIDDEN');
      for (const token of [agentB.accessToken, member.accessToken]) {
        expect(ok(await support.inspect(token, owner.account.id)).account).toBeNull();
        expect(ok(await support.inspect(token, owner.account.id, tenantA)).account).toBeNull();
      }
    });
  });

  /**
   * Every support operation on someone else's account: refused for another tenant's agent and a
   * plain member (nothing changes), refused without a reason, and done by the tenant's agent
   * with the operator and reason on the event.
   */
  describe('acting on an account', () => {
    interface Operation {
      name: string;
      eventType: string;
      act: (token: string, owner: SignedIn, reason?: string) => Promise<GraphQLResponse<unknown>>;
      refusedFor: { otherTenant: string; member: string };
    }
    const operations: Operation[] = [
      {
        name: 'revokeSession',
        eventType: 'identity.session.revoked',
        act: (token, owner, reason) =>
          support.revokeSession(token, { sessionId: owner.session.id, accountId: owner.account.id, tenantId: tenantA, reason }),
        refusedFor: { otherTenant: 'FORBIDDEN', member: 'FORBIDDEN' },
      },
      {
        name: 'revokeAllSessions',
        eventType: 'identity.session.revoked',
        act: (token, owner, reason) =>
          support.revokeAllSessions(token, { accountId: owner.account.id, tenantId: tenantA, reason }),
        refusedFor: { otherTenant: 'FORBIDDEN', member: 'FORBIDDEN' },
      },
      {
        name: 'revokeIdentity',
        eventType: 'identity.identity.revoked',
        act: async (token, owner, reason) => {
          const identityId = ok(await support.inspect(owner.accessToken, owner.account.id)).account?.identities[0]?.id ?? '';
          return support.revokeIdentity(token, { identityId, accountId: owner.account.id, tenantId: tenantA, reason });
        },
        refusedFor: { otherTenant: 'FORBIDDEN', member: 'FORBIDDEN' },
      },
      {
        name: 'disableAccount',
        eventType: 'identity.account.disabled',
        act: (token, owner, reason) => support.disableAccount(token, { tenantId: tenantA, accountId: owner.account.id, reason }),
        refusedFor: { otherTenant: 'FORBIDDEN', member: 'FORBIDDEN' },
      },
      {
        name: 'startOperatorRecovery',
        eventType: 'identity.account.recovery_started',
        act: (token, owner, reason) =>
          support.startOperatorRecovery(token, {
            tenantId: tenantA,
            accountId: owner.account.id,
            email: email('new-mailbox'),
            returnTo: RETURN_TO,
            reason,
          }),
        refusedFor: { otherTenant: 'FORBIDDEN', member: 'FORBIDDEN' },
      },
    ];

    it.each(operations.map((operation) => [operation.name, operation] as const))(
      '%s: refused for another tenant’s agent, a member and without a reason; done by the agent with its reason',
      async (_name, operation) => {
        const owner = await firstSignIn(tenantA, email(`owner-${operation.name}`));
        expect(codeOf(await operation.act(agentB.accessToken, owner, 'not my tenant'))).toBe(operation.refusedFor.otherTenant);
        expect(codeOf(await operation.act(member.accessToken, owner, 'curious'))).toBe(operation.refusedFor.member);
        expect(codeOf(await operation.act(agentA.accessToken, owner))).toBe('BAD_USER_INPUT');
        // Nothing happened so far: the owner is still signed in, its identity still there.
        const untouched = ok(await support.inspect(owner.accessToken, owner.account.id)).account;
        expect({ status: untouched?.status, identities: untouched?.identities.length }).toEqual({
          status: 'ACTIVE',
          identities: 1,
        });

        const reason = `ticket ${operation.name} ${Math.random().toString(36).slice(2, 6)}`;
        ok(await operation.act(agentA.accessToken, owner, reason));
        const event = await waitForEvent(reader, owner.account.id, operation.eventType, (e) => actorOf(e).actorreason === reason);
        expect(actorOf(event)).toEqual({ actorid: agentA.account.id, actortype: 'operator', actorreason: reason });

        // The owner's feed shows it as done by support.
        const entries = await eventually(async () => {
          const account = ok(await support.inspect(adminA.token, owner.account.id)).account;
          const found = account?.activity.edges.filter((edge) => edge.node.id === event.id) ?? [];
          if (found.length === 0) throw new Error('not in the activity yet');
          return found;
        });
        expect(entries.map((edge) => ({ actorId: edge.node.actorId, actorType: edge.node.actorType }))).toEqual([
          { actorId: agentA.account.id, actorType: 'OPERATOR' },
        ]);
      },
    );

    it('platform support acts on any tenant, with a reason', async () => {
      const owner = await firstSignIn(tenantA, email('owner-platform'));
      ok(
        await support.revokeAllSessions(platformAgent.token, {
          accountId: owner.account.id,
          tenantId: tenantA,
          reason: 'abuse report 9',
        }),
      );
      const event = await waitForEvent(
        reader,
        owner.account.id,
        'identity.session.revoked',
        (e) => e.data['reason'] === 'REVOKED_ALL',
      );
      expect(actorOf(event)).toEqual({ actorid: platformAgent.accountId, actortype: 'operator', actorreason: 'abuse report 9' });
      const answer = await stack.graphql(PROBES.identity, {}, owner.accessToken);
      expect(answer.status).toBe(401);
    });

    it('an agent enables a disabled account again only with a reason, and never its own', async () => {
      const owner = await firstSignIn(tenantA, email('owner-enable'));
      ok(
        await support.disableAccount(agentA.accessToken, {
          tenantId: tenantA,
          accountId: owner.account.id,
          reason: 'fraud check',
        }),
      );
      const input = { tenantId: tenantA, accountId: owner.account.id };
      expect(codeOf(await support.enableAccount(agentA.accessToken, input))).toBe('BAD_USER_INPUT');
      expect(codeOf(await support.enableAccount(agentB.accessToken, { ...input, reason: 'x'.repeat(5) }))).toBe('FORBIDDEN');
      expect(
        ok(await support.enableAccount(agentA.accessToken, { ...input, reason: 'fraud check cleared' })).enableAccount.account
          .status,
      ).toBe('ACTIVE');
      expect(
        codeOf(
          await support.disableAccount(agentA.accessToken, { tenantId: tenantA, accountId: agentA.account.id, reason: 'oops' }),
        ),
      ).toBe('FORBIDDEN');
    });

    it("the owner's own revocation needs no support reason and is recorded as the account's", async () => {
      const owner = await firstSignIn(tenantA, email('owner-self'));
      ok(await sessionsApi(stack).revokeSession(owner.accessToken, owner.session.id));
      const event = await waitForEvent(reader, owner.account.id, 'identity.session.revoked');
      expect(actorOf(event)).toEqual({ actorid: owner.account.id, actortype: 'account', actorreason: undefined });
    });
  });
});
