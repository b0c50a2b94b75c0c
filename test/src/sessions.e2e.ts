import { decodeJwt } from 'jose';
import { producerTopic, type SubgraphName } from '@messngr/contracts';
import { eventually } from './harness/eventually';
import { PROBES, recordingStack, serverErrors, sessionsApi, type Recorded, type SessionsApi } from './harness/sessions-api';
import { signInApi, type SignedIn, type SignInApi } from './harness/sign-in';
import { useStack, type GraphQLResponse, type Stack } from './harness/stack';
import { expectError, ok, tenantApi, unique, waitForEvent, type TenantApi } from './harness/tenant-api';
import { useTopicReader } from './harness/topic-reader';

/**
 * Sessions and their end, through the gateway on the real stack: refresh-token rotation and
 * reuse, the caller's session list, every way a session ends, a disabled account and a
 * suspended tenant. An ended session's access tokens are refused on the very next request,
 * by every subgraph, and still after a gateway restart. Nothing answers with a server error.
 */
describe('sessions and revocation, through the gateway', () => {
  const env = useStack();
  const reader = useTopicReader([producerTopic('identity')]);
  let stack: Stack;
  let responses: Recorded[];
  let signIn: SignInApi;
  let sessions: SessionsApi;
  let tenants: TenantApi;

  beforeAll(() => {
    ({ stack, responses } = recordingStack(env.stack));
    signIn = signInApi(stack);
    sessions = sessionsApi(stack);
    tenants = tenantApi({ stack, adminToken: env.adminToken });
  });

  afterEach(() => {
    // Each test's own responses: none was a server error.
    expect(serverErrors(responses.splice(0))).toEqual([]);
  });

  /** A fresh tenant whose policy lets this file send all the codes it needs from loopback. */
  async function newTenant(label: string): Promise<string> {
    const tenant = ok(await tenants.createTenant({ name: unique(label) })).createTenant.tenant;
    ok(await tenants.updatePolicy({ tenantId: tenant.id, otpSendLimits: { perIdentifierPerHour: 50, perIpPerHour: 500 } }));
    return tenant.id;
  }

  /** Signs in once the identity subgraph knows the tenant (and its policy) from the tenant's events. */
  async function firstSignIn(tenantId: string, email: string, device?: { name: string; platform: string }): Promise<SignedIn> {
    return eventually(() => signIn.signIn(tenantId, { email }, device), { timeoutMs: 30_000, intervalMs: 250 });
  }

  function email(label: string): string {
    return `${label}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}@example.com`;
  }

  /** Each subgraph's probe refused with UNAUTHENTICATED, on the first request made with the token. */
  async function expectRefusedEverywhere(token: string): Promise<void> {
    const answers = await sessions.probe(token);
    expect(
      byProbe(answers, (response) => ({ status: response.status, code: codeOf(response), data: response.data ?? null })),
    ).toEqual(byProbe(answers, () => ({ status: 401, code: 'UNAUTHENTICATED', data: null })));
  }

  /** Each subgraph answers the probe for `accountId`. */
  async function expectAcceptedEverywhere(token: string, accountId: string): Promise<void> {
    const answers = await sessions.probe(token);
    expect(byProbe(answers, (response) => ({ errors: response.errors ?? null, me: response.data?.me?.id ?? null }))).toEqual(
      byProbe(answers, () => ({ errors: null, me: accountId })),
    );
  }

  describe('refresh', () => {
    let tenantId: string;
    beforeAll(async () => {
      tenantId = await newTenant('Refresh');
    });

    it('rotation gives a new refresh token and a working access token of the same session', async () => {
      const first = await firstSignIn(tenantId, email('rotate'));
      const refreshed = ok(await signIn.refreshSession(first.refreshToken)).refreshSession;
      expect(refreshed.refreshToken).not.toBe(first.refreshToken);
      expect(refreshed.accessToken).not.toBe(first.accessToken);
      expect(refreshed.session).toMatchObject({ id: first.session.id, status: 'ACTIVE' });
      const claims = decodeJwt(refreshed.accessToken);
      expect(claims).toMatchObject({ sub: first.account.id, sid: first.session.id, tid: tenantId });
      expect(claims.jti).not.toBe(decodeJwt(first.accessToken).jti);
      await expectAcceptedEverywhere(refreshed.accessToken, first.account.id);
    });

    it('a rotation is never undone by a write of other fields of the session at the same moment', async () => {
      // FerretDB writes a whole document back on update: a writer of other fields that did not
      // exclude the rotation would restore the old token. Twenty rounds of a rotation racing one.
      const first = await firstSignIn(tenantId, email('race'));
      const { sessions: store } = env.stack.services.identity.deps;
      const tenant = first.account.tenantId as Parameters<typeof store.change>[0];
      let token = first.refreshToken;
      for (let round = 0; round < 20; round += 1) {
        const [refreshed] = await Promise.all([
          signIn.refreshSession(token),
          store.change(tenant, first.session.id, () => ({ changes: { userAgent: `racer ${round}` }, events: [] })),
        ]);
        token = ok(refreshed).refreshSession.refreshToken;
      }
      // The last token handed out is the session's current one: no rotation was lost.
      ok(await signIn.refreshSession(token));
      expect((await store.findById(tenant, first.session.id))?.userAgent).toBe('racer 19');
    });

    it('reuse of a token older than the predecessor revokes the whole family, at the gateway too, and says so on Kafka', async () => {
      const address = email('reuse');
      const victim = await firstSignIn(tenantId, address);
      // Another session of the same account: the family of one session is all that dies.
      const bystander = await signIn.signIn(tenantId, { email: address });
      const second = ok(await signIn.refreshSession(victim.refreshToken)).refreshSession;
      const third = ok(await signIn.refreshSession(second.refreshToken)).refreshSession;
      await expectAcceptedEverywhere(third.accessToken, victim.account.id);

      // `victim.refreshToken` is two generations back: a stolen copy came back.
      expectError(await signIn.refreshSession(victim.refreshToken), 'REFRESH_TOKEN_REUSED');
      await expectRefusedEverywhere(third.accessToken);
      await expectRefusedEverywhere(victim.accessToken);
      expectError(await signIn.refreshSession(third.refreshToken), 'INVALID_REFRESH_TOKEN');
      expectError(await signIn.refreshSession(second.refreshToken), 'INVALID_REFRESH_TOKEN');

      const event = await waitForEvent(reader, victim.account.id, 'identity.session.revoked', (candidate) => {
        const session = candidate.data['session'] as { id?: string } | undefined;
        return session?.id === victim.session.id;
      });
      expect(event).toMatchObject({ tenantid: tenantId, subject: victim.session.id, data: { reason: 'REFRESH_TOKEN_REUSED' } });
      expect(Date.parse(String(event.data['accessTokensExpireBy']))).toBeGreaterThanOrEqual(
        (decodeJwt(third.accessToken).exp ?? 0) * 1000,
      );

      // The other session lives on, and sees the revoked one with its reason.
      await expectAcceptedEverywhere(bystander.accessToken, victim.account.id);
      const listed = ok(await sessions.mySessions(bystander.accessToken, true)).me!.sessions;
      expect(listed.find((session) => session.id === victim.session.id)).toMatchObject({
        status: 'REVOKED',
        endReason: 'REFRESH_TOKEN_REUSED',
        current: false,
      });
      ok(await signIn.refreshSession(bystander.refreshToken));
    });

    it('the immediate predecessor within the grace gets the same successor, and the family lives on', async () => {
      const first = await firstSignIn(tenantId, email('grace'));
      const second = ok(await signIn.refreshSession(first.refreshToken)).refreshSession;
      const again = ok(await signIn.refreshSession(first.refreshToken)).refreshSession;
      expect(again.refreshToken).toBe(second.refreshToken);
      expect(decodeJwt(again.accessToken).sid).toBe(first.session.id);
      await expectAcceptedEverywhere(again.accessToken, first.account.id);
      // The successor still rotates once: the grace did not spend it nor revoke anything.
      const third = ok(await signIn.refreshSession(second.refreshToken)).refreshSession;
      expect(third.refreshToken).not.toBe(second.refreshToken);
      await expectAcceptedEverywhere(third.accessToken, first.account.id);
    });

    it('ten concurrent refreshes with one token get one successor (or a typed error), never two live ones', async () => {
      const first = await firstSignIn(tenantId, email('race'));
      const answers = await Promise.all(Array.from({ length: 10 }, () => signIn.refreshSession(first.refreshToken)));
      for (const answer of answers) expect(answer.status).toBeLessThan(500);
      const succeeded = answers.filter((answer) => !answer.errors?.length).map((answer) => answer.data!.refreshSession);
      const refused = answers.filter((answer) => answer.errors?.length).map(codeOf);
      for (const code of refused) expect(['INVALID_REFRESH_TOKEN', 'CONCURRENT_MODIFICATION']).toContain(code);
      expect(succeeded.length).toBeGreaterThan(0);
      const successors = new Set(succeeded.map((tokens) => tokens.refreshToken));
      expect(successors.size).toBe(1);
      for (const tokens of succeeded) expect(decodeJwt(tokens.accessToken).sid).toBe(first.session.id);

      // The one successor is live and the session was not taken for a reuse.
      const [successor] = [...successors];
      const next = ok(await signIn.refreshSession(successor!)).refreshSession;
      await expectAcceptedEverywhere(next.accessToken, first.account.id);
      await expectAcceptedEverywhere(succeeded[0]!.accessToken, first.account.id);
    });
  });

  describe('the caller’s sessions', () => {
    let tenantId: string;
    beforeAll(async () => {
      tenantId = await newTenant('Sessions');
    });

    it('me.sessions lists my sessions, and exactly one of them is current', async () => {
      const address = email('list');
      const phone = await firstSignIn(tenantId, address, { name: 'Pixel 8', platform: 'ANDROID' });
      const laptop = await signIn.signIn(tenantId, { email: address });
      // Someone else in the tenant: not listed.
      const other = await signIn.signIn(tenantId, { email: email('list-other') });

      for (const [mine, other_] of [
        [phone, laptop],
        [laptop, phone],
      ] as const) {
        const me = ok(await sessions.mySessions(mine.accessToken)).me!;
        expect(me.id).toBe(phone.account.id);
        expect(me.sessions.map((session) => session.id).sort()).toEqual([phone.session.id, laptop.session.id].sort());
        expect(me.sessions.filter((session) => session.current).map((session) => session.id)).toEqual([mine.session.id]);
        expect(me.sessions.find((session) => session.id === other_.session.id)).toMatchObject({
          current: false,
          status: 'ACTIVE',
        });
      }
      const listedByOther = ok(await sessions.mySessions(other.accessToken)).me!.sessions;
      expect(listedByOther.map((session) => [session.id, session.current])).toEqual([[other.session.id, true]]);
      expect(ok(await sessions.mySessions(phone.accessToken)).me!.sessions.find((s) => s.id === phone.session.id)).toMatchObject({
        deviceId: expect.any(String),
      });
    });
  });

  describe('revocation is honoured on the next request, by every subgraph', () => {
    let tenantId: string;
    beforeAll(async () => {
      tenantId = await newTenant('Revocation');
      // Known to the identity subgraph before the tests sign in.
      await firstSignIn(tenantId, email('warm-up'));
    });

    /** `count` sessions of one new account, signed in one after another. */
    async function sessionsOfOneAccount(count: number): Promise<SignedIn[]> {
      const address = email('revoke');
      const signedIn: SignedIn[] = [];
      for (let index = 0; index < count; index += 1) signedIn.push(await signIn.signIn(tenantId, { email: address }));
      return signedIn;
    }

    it('revokeSession ends another of my sessions: its token and refresh token are refused, mine work', async () => {
      const [mine, other] = await sessionsOfOneAccount(2);
      await expectAcceptedEverywhere(other!.accessToken, other!.account.id);
      const revoked = ok(await sessions.revokeSession(mine!.accessToken, other!.session.id)).revokeSession.sessions;
      expect(revoked).toMatchObject([{ id: other!.session.id, status: 'REVOKED', endReason: 'REVOKED', current: false }]);
      await expectRefusedEverywhere(other!.accessToken);
      await expectAcceptedEverywhere(mine!.accessToken, mine!.account.id);
      expectError(await signIn.refreshSession(other!.refreshToken), 'INVALID_REFRESH_TOKEN');
      ok(await signIn.refreshSession(mine!.refreshToken));
      // Revoking it again changes nothing and is no error.
      expect(ok(await sessions.revokeSession(mine!.accessToken, other!.session.id)).revokeSession.sessions).toMatchObject([
        { id: other!.session.id, status: 'REVOKED', endReason: 'REVOKED' },
      ]);
    });

    it('revokeOtherSessions ends all my sessions but the current one', async () => {
      const [current, ...others] = await sessionsOfOneAccount(3);
      const revoked = ok(await sessions.revokeOtherSessions(current!.accessToken)).revokeOtherSessions.sessions;
      expect(revoked.map((session) => session.id).sort()).toEqual(others.map((other) => other.session.id).sort());
      for (const session of revoked) expect(session).toMatchObject({ status: 'REVOKED', endReason: 'REVOKED_WITH_OTHERS' });
      await Promise.all(others.map((other) => expectRefusedEverywhere(other.accessToken)));
      await expectAcceptedEverywhere(current!.accessToken, current!.account.id);
      for (const other of others) expectError(await signIn.refreshSession(other.refreshToken), 'INVALID_REFRESH_TOKEN');
      const refreshed = ok(await signIn.refreshSession(current!.refreshToken)).refreshSession;
      const listed = ok(await sessions.mySessions(refreshed.accessToken)).me!.sessions;
      expect(listed.map((session) => [session.id, session.current])).toEqual([[current!.session.id, true]]);
    });

    it('revokeAllSessions ends every session of mine, the calling one included', async () => {
      const all = await sessionsOfOneAccount(2);
      const revoked = ok(await sessions.revokeAllSessions(all[0]!.accessToken)).revokeAllSessions.sessions;
      expect(revoked.map((session) => session.id).sort()).toEqual(all.map((session) => session.session.id).sort());
      for (const session of revoked) expect(session).toMatchObject({ status: 'REVOKED', endReason: 'REVOKED_ALL' });
      await Promise.all(all.map((session) => expectRefusedEverywhere(session.accessToken)));
      for (const session of all) expectError(await signIn.refreshSession(session.refreshToken), 'INVALID_REFRESH_TOKEN');
    });

    it('signOut ends the calling session only', async () => {
      const [leaving, staying] = await sessionsOfOneAccount(2);
      const ended = ok(await sessions.signOut(leaving!.accessToken)).signOut.session;
      expect(ended).toMatchObject({ id: leaving!.session.id, status: 'REVOKED', endReason: 'SIGNED_OUT' });
      await expectRefusedEverywhere(leaving!.accessToken);
      expectError(await signIn.refreshSession(leaving!.refreshToken), 'INVALID_REFRESH_TOKEN');
      await expectAcceptedEverywhere(staying!.accessToken, staying!.account.id);
      const event = await waitForEvent(
        reader,
        leaving!.account.id,
        'identity.session.revoked',
        (candidate) => candidate.subject === leaving!.session.id,
      );
      expect(event.data['reason']).toBe('SIGNED_OUT');
    });

    it('someone else’s session id, or an unknown one, is SESSION_NOT_FOUND and ends nothing', async () => {
      const [mine] = await sessionsOfOneAccount(1);
      const [theirs] = await sessionsOfOneAccount(1);
      const elsewhereTenant = await newTenant('Elsewhere');
      const elsewhere = await firstSignIn(elsewhereTenant, email('elsewhere'));
      expectError(await sessions.revokeSession(mine!.accessToken, theirs!.session.id), 'SESSION_NOT_FOUND');
      expectError(await sessions.revokeSession(mine!.accessToken, elsewhere.session.id), 'SESSION_NOT_FOUND');
      expectError(await sessions.revokeSession(mine!.accessToken, 'ses_doesnotexist'), 'SESSION_NOT_FOUND');
      // A member may not end another account's sessions wholesale either.
      expectError(await sessions.revokeAllSessions(mine!.accessToken, { accountId: theirs!.account.id }), 'FORBIDDEN');
      await expectAcceptedEverywhere(theirs!.accessToken, theirs!.account.id);
      await expectAcceptedEverywhere(elsewhere.accessToken, elsewhere.account.id);
      ok(await signIn.refreshSession(theirs!.refreshToken));
    });
  });

  describe('across a gateway restart', () => {
    it('a revoked session stays refused on the first request after the restart, an unrevoked one works', async () => {
      const tenantId = await newTenant('Restart');
      const address = email('restart');
      const revoked = await firstSignIn(tenantId, address);
      const kept = await signIn.signIn(tenantId, { email: address });
      ok(await sessions.signOut(revoked.accessToken));
      // On the broker before the restart: the new gateway must rebuild the list from it.
      await waitForEvent(reader, revoked.account.id, 'identity.session.revoked', (event) => event.subject === revoked.session.id);

      await stack.restartGateway();
      await expectRefusedEverywhere(revoked.accessToken);
      await expectAcceptedEverywhere(kept.accessToken, kept.account.id);
    });
  });

  describe('a suspended tenant, a disabled account', () => {
    it('a suspended tenant’s tokens are refused on the next request, and sign-in with them; after reactivation sign-in works', async () => {
      const tenantId = await newTenant('Suspended');
      const address = email('suspended');
      const member = await firstSignIn(tenantId, address);
      await expectAcceptedEverywhere(member.accessToken, member.account.id);
      // A sign-in under way when the tenant is suspended.
      const since = stack.mailbox.messages.length;
      const flow = ok(await signIn.startLogin({ tenantId, email: address })).startLogin.flow;
      const { code } = await signIn.codeFor(address, since);

      ok(await tenants.suspendTenant({ id: tenantId, reason: 'sessions e2e' }));
      await expectRefusedEverywhere(member.accessToken);
      // The identity subgraph hears of the suspension from the tenant's event.
      await eventually(async () => expectError(await signIn.startLogin({ tenantId, email: address }), 'TENANT_SUSPENDED'));
      expectError(await signIn.completeLogin({ flowId: flow.id, code }), 'TENANT_SUSPENDED');
      expectError(await signIn.refreshSession(member.refreshToken), 'TENANT_SUSPENDED');

      ok(await tenants.reactivateTenant(tenantId));
      const again = await firstSignIn(tenantId, address);
      expect(again.account.id).toBe(member.account.id);
      await expectAcceptedEverywhere(again.accessToken, member.account.id);
    });

    it('a disabled account’s tokens and refresh tokens are refused, it cannot sign in; enabled, it can again', async () => {
      const tenantId = await newTenant('Disabled');
      const address = email('disabled');
      const member = await firstSignIn(tenantId, address);
      const second = await signIn.signIn(tenantId, { email: address });
      await expectAcceptedEverywhere(member.accessToken, member.account.id);

      const disabled = ok(
        await sessions.disableAccount(env.adminToken, { tenantId, accountId: member.account.id, reason: 'sessions e2e' }),
      ).disableAccount.account;
      expect(disabled).toEqual({ id: member.account.id, status: 'DISABLED' });
      await expectRefusedEverywhere(member.accessToken);
      await expectRefusedEverywhere(second.accessToken);
      expectError(await signIn.refreshSession(member.refreshToken), 'INVALID_REFRESH_TOKEN');
      expectError(await signIn.refreshSession(second.refreshToken), 'INVALID_REFRESH_TOKEN');

      const since = stack.mailbox.messages.length;
      const flow = ok(await signIn.startLogin({ tenantId, email: address })).startLogin.flow;
      const { code } = await signIn.codeFor(address, since);
      expectError(await signIn.completeLogin({ flowId: flow.id, code }), 'ACCOUNT_DISABLED');

      const enabled = ok(
        await sessions.enableAccount(env.adminToken, { tenantId, accountId: member.account.id, reason: 'sessions e2e' }),
      ).enableAccount.account;
      expect(enabled).toEqual({ id: member.account.id, status: 'ACTIVE' });
      const again = await signIn.signIn(tenantId, { email: address });
      expect(again).toMatchObject({ accountCreated: false, account: { id: member.account.id } });
      await expectAcceptedEverywhere(again.accessToken, member.account.id);
      ok(await signIn.refreshSession(again.refreshToken));
      // Enabling the account did not bring its ended sessions back.
      await expectRefusedEverywhere(member.accessToken);
      expectError(await signIn.refreshSession(member.refreshToken), 'INVALID_REFRESH_TOKEN');
    });
  });
});

function codeOf(response: GraphQLResponse<unknown>): string | undefined {
  return response.errors?.[0]?.extensions?.code;
}

function byProbe<Data, Value>(
  answers: Record<SubgraphName, GraphQLResponse<Data>>,
  view: (response: GraphQLResponse<Data>) => Value,
): Record<SubgraphName, Value> {
  const entries = (Object.keys(PROBES) as SubgraphName[]).map((subgraph) => [subgraph, view(answers[subgraph])] as const);
  return Object.fromEntries(entries) as Record<SubgraphName, Value>;
}
