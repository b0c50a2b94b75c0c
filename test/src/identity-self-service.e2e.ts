import { randomBytes } from 'node:crypto';
import { parseEnvelope, parseEventData, producerTopic, type EventType } from '@messngr/contracts';
import { eventually } from './harness/eventually';
import { MovableClock } from './harness/movable-clock';
import { startOpenIdProvider, type TestOpenIdProvider } from './harness/openid-provider';
import { signInAtProvider } from './harness/provider-browser';
import {
  codeOf,
  freshLogin,
  oidcProviderInput,
  opClient,
  providerSignInApi,
  RETURN_TO,
  type ProviderSignInApi,
} from './harness/provider-sign-in';
import { selfServiceApi, type SelfServiceApi } from './harness/self-service-api';
import { signInApi, type SignInApi, type SignedIn } from './harness/sign-in';
import { useStack } from './harness/stack';
import { ok, waitForEvent } from './harness/tenant-api';
import { useTopicReader } from './harness/topic-reader';
import { EXPIRED_FLOWS_KEPT_MS, sweepExpiredFlows } from '@messngr/identity/src/use-cases/flow-sweep';

const MINUTE_MS = 60_000;

function email(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}@example.test`;
}

describe('account self-service: linking, removing and revoking identities, step-up and recovery', () => {
  const clock = new MovableClock();
  const env = useStack({ identityClock: clock });
  const events = useTopicReader([producerTopic('identity')]);
  let browser: ProviderSignInApi;
  let self: SelfServiceApi;
  let signIn: SignInApi;
  let tenantId: string;
  let callback: string;
  let op: TestOpenIdProvider;
  let providerId: string;

  beforeAll(async () => {
    browser = providerSignInApi(env);
    self = selfServiceApi(env.stack, browser);
    signIn = signInApi(env.stack);
    ({
      tenant: { id: tenantId },
      callback,
    } = await browser.tenant({
      otpSendLimits: { perIdentifierPerHour: 1000, perIpPerHour: 10_000, perTenantPerHour: 10_000 },
    }));
    op = await startOpenIdProvider({ clients: [opClient(callback)] });
    providerId = await browser.registerProvider(oidcProviderInput(tenantId, op.issuer, 'Corp SSO', { badgeKey: 'microsoft' }));
  });

  afterAll(async () => {
    await op?.stop();
  });

  /** Links `address` to the signed-in account by the code sent to it. */
  async function linkEmail(person: SignedIn, address: string) {
    const since = env.stack.mailbox.messages.length;
    const started = ok(await self.startIdentityLink(person.accessToken, { method: 'EMAIL', email: address })).startIdentityLink;
    const { code, message } = await signIn.codeFor(address, since);
    return { started, code, message, verified: await self.verifyIdentityLinkCode(person.accessToken, started.flow.id, code) };
  }

  async function linkProvider(person: SignedIn, login: string) {
    const started = ok(
      await self.startIdentityLink(person.accessToken, { method: 'PROVIDER', providerId, returnTo: RETURN_TO }),
    ).startIdentityLink;
    const callbackUrl = await signInAtProvider(started.authorizeUrl ?? '', { login, stopAt: callback });
    return { started, result: await browser.callback(callbackUrl) };
  }

  it('links an email address by the code sent to it, verified, with its events', async () => {
    const person = await signIn.signIn(tenantId, { email: email('kari') });
    const second = email('kari-work');
    const { started, message, verified } = await linkEmail(person, second);
    expect(started.flow).toMatchObject({ method: 'EMAIL', state: 'CODE_SENT' });
    expect(message.text).toContain('adding this address to your account');
    const { flow, identity } = ok(verified).verifyIdentityLinkCode;
    expect(flow).toMatchObject({ state: 'LINKED', linkedIdentity: { id: identity.id } });
    expect(identity).toMatchObject({ kind: 'EMAIL', verified: true });
    expect((await self.myIdentities(person.accessToken)).map((i) => i.kind)).toEqual(['EMAIL', 'EMAIL']);

    for (const type of ['identity.identity.linked', 'identity.identity.verified']) {
      const event = await waitForEvent(
        events,
        person.account.id,
        type,
        (e) => (e.data['identity'] as { id: string }).id === identity.id,
      );
      const envelope = parseEnvelope(JSON.parse(event.raw));
      const { data } = parseEventData({ ...envelope, type: envelope.type as EventType });
      expect(data).toMatchObject({ identity: { id: identity.id, kind: 'EMAIL', badgeKey: 'email', verified: true } });
      expect(event.raw).not.toContain(second);
    }
  });

  it('refuses an address or provider account linked elsewhere, saying nothing of the other account', async () => {
    const owner = await signIn.signIn(tenantId, { email: email('owner') });
    const taken = email('taken');
    ok((await linkEmail(owner, taken)).verified);
    const other = await signIn.signIn(tenantId, { email: email('other') });
    const attempt = await linkEmail(other, taken);
    expect(codeOf(attempt.verified)).toBe('IDENTITY_ALREADY_LINKED');
    expect(JSON.stringify(attempt.verified)).not.toContain(owner.account.id);
    expect((await self.myIdentities(other.accessToken)).length).toBe(1);
    const flow = ok(await self.identityLinkFlow(other.accessToken, attempt.started.flow.id)).identityLinkFlow;
    expect(flow).toMatchObject({ state: 'FAILED', failure: 'IDENTITY_ALREADY_LINKED' });

    const login = freshLogin('shared');
    expect((await linkProvider(owner, login)).result).toMatchObject({ kind: 'returned', outcome: 'SUCCEEDED' });
    expect((await linkProvider(other, login)).result).toMatchObject({ kind: 'returned', outcome: 'IDENTITY_ALREADY_LINKED' });
    expect((await self.myIdentities(other.accessToken)).length).toBe(1);
  });

  it('keeps a link flow to its owner: another account can neither see, finish nor cancel it', async () => {
    const owner = await signIn.signIn(tenantId, { email: email('flow-owner') });
    const stranger = await signIn.signIn(tenantId, { email: email('stranger') });
    const since = env.stack.mailbox.messages.length;
    const address = email('wanted');
    const started = ok(await self.startIdentityLink(owner.accessToken, { method: 'EMAIL', email: address })).startIdentityLink;
    const { code } = await signIn.codeFor(address, since);
    expect(ok(await self.identityLinkFlow(stranger.accessToken, started.flow.id)).identityLinkFlow).toBeNull();
    expect(codeOf(await self.verifyIdentityLinkCode(stranger.accessToken, started.flow.id, code))).toBe('NOT_FOUND');
    expect(codeOf(await self.cancelIdentityLink(stranger.accessToken, started.flow.id))).toBe('NOT_FOUND');
    // A link code never signs anyone in either.
    expect(codeOf(await signIn.completeLogin({ flowId: started.flow.id, code }))).toBe('INVALID_CODE');
    expect(ok(await self.cancelIdentityLink(owner.accessToken, started.flow.id)).cancelIdentityLink.flow.state).toBe('CANCELLED');

    // A provider link sent to someone else's browser (account-linking CSRF) finds no flow there and links nothing.
    const forged = ok(
      await self.startIdentityLink(owner.accessToken, { method: 'PROVIDER', providerId, returnTo: RETURN_TO }),
    ).startIdentityLink;
    const victimLogin = freshLogin('victim');
    const victimCallback = await signInAtProvider(forged.authorizeUrl ?? '', { login: victimLogin, stopAt: callback });
    expect(await browser.callback(victimCallback, 'another browser')).toEqual({
      kind: 'refused',
      status: 400,
      code: 'INVALID_STATE',
    });
    expect((await self.myIdentities(owner.accessToken)).map((identity) => identity.kind)).toEqual(['EMAIL']);
    expect(ok(await self.identityLinkFlow(owner.accessToken, forged.flow.id)).identityLinkFlow?.state).toBe(
      'WAITING_FOR_PROVIDER',
    );
    expect(codeOf(await self.verifyIdentityLinkCode(owner.accessToken, started.flow.id, code))).toBe('INVALID_CODE');
  });

  it('links a provider account through the callback; it then signs in to the same account', async () => {
    const person = await signIn.signIn(tenantId, { email: email('linker') });
    const login = freshLogin('linked');
    const { started, result } = await linkProvider(person, login);
    expect(result).toMatchObject({ kind: 'returned', flow: started.flow.id, outcome: 'SUCCEEDED' });
    const flow = ok(await self.identityLinkFlow(person.accessToken, started.flow.id)).identityLinkFlow;
    expect(flow).toMatchObject({
      method: 'PROVIDER',
      state: 'LINKED',
      linkedIdentity: { kind: 'OIDC', displayValue: login, verified: true },
    });
    // Each identity shows its provider's badge and name, from the tenant subgraph through the gateway.
    const shown = ok(
      await env.stack.graphql<{
        me: { identities: { kind: string; provider: { badgeKey: string; displayName: string } | null }[] };
      }>('{ me { identities { kind provider { badgeKey displayName } } } }', {}, person.accessToken),
    ).me.identities;
    expect(shown).toContainEqual({ kind: 'OIDC', provider: { badgeKey: 'microsoft', displayName: 'Corp SSO' } });

    const again = await browser.started(tenantId, providerId);
    const back = await browser.callback(await signInAtProvider(again.authorizeUrl, { login, stopAt: callback }));
    expect(back).toMatchObject({ outcome: 'SUCCEEDED' });
    const signedIn = ok(await browser.completeProviderLogin({ flowId: again.flow.id, completionSecret: again.completionSecret }));
    expect(signedIn.completeProviderLogin).toMatchObject({ accountCreated: false, account: { id: person.account.id } });
  });

  it('removes an identity only with its confirmation, and never the last verified one', async () => {
    const person = await signIn.signIn(tenantId, { email: email('remover') });
    ok((await linkEmail(person, email('second'))).verified);
    const [first, second] = await self.myIdentities(person.accessToken);
    const requested = ok(await self.requestIdentityRemoval(person.accessToken, second?.id ?? '')).requestIdentityRemoval;
    expect(codeOf(await self.confirmIdentityRemoval(person.accessToken, requested.removal.id, 'wrong'))).toBe('NOT_FOUND');
    const confirmed = ok(await self.confirmIdentityRemoval(person.accessToken, requested.removal.id, requested.confirmation));
    expect(confirmed.confirmIdentityRemoval).toMatchObject({ removal: { state: 'CONFIRMED' }, removedIdentityId: second?.id });
    expect((await self.myIdentities(person.accessToken)).map((i) => i.id)).toEqual([first?.id]);
    expect(codeOf(await self.requestIdentityRemoval(person.accessToken, first?.id ?? ''))).toBe('LAST_VERIFIED_IDENTITY');
    await waitForEvent(events, person.account.id, 'identity.identity.removal_requested');
    await waitForEvent(events, person.account.id, 'identity.identity.removed');
  });

  it('of two concurrent removals of the last two verified identities, exactly one succeeds, 100 rounds in a row', async () => {
    const person = await signIn.signIn(tenantId, { email: email('racer') });
    ok((await linkEmail(person, email('racer-0'))).verified);
    const outcomes: string[] = [];
    for (let round = 1; round <= 100; round += 1) {
      const identities = await self.myIdentities(person.accessToken);
      expect(identities.filter((i) => i.verified)).toHaveLength(2);
      const requests = await Promise.all(
        identities.map(
          async (identity) => ok(await self.requestIdentityRemoval(person.accessToken, identity.id)).requestIdentityRemoval,
        ),
      );
      const confirmations = await Promise.all(
        requests.map((request) => self.confirmIdentityRemoval(person.accessToken, request.removal.id, request.confirmation)),
      );
      const codes = confirmations.map((response) => (response.data ? 'REMOVED' : codeOf(response))).sort();
      outcomes.push(codes.join(' '));
      expect(await self.myIdentities(person.accessToken)).toHaveLength(1);
      if (round < 100) ok((await linkEmail(person, email(`racer-${round}`))).verified);
    }
    expect(new Set(outcomes)).toEqual(new Set(['LAST_VERIFIED_IDENTITY REMOVED']));
  });

  it('revokes a compromised identity: the sessions opened with it end on the next request, even if it was the last', async () => {
    const person = await signIn.signIn(tenantId, { email: email('victim') });
    const login = freshLogin('compromised');
    expect((await linkProvider(person, login)).result).toMatchObject({ outcome: 'SUCCEEDED' });
    const viaProvider = await browser.started(tenantId, providerId);
    await browser.callback(await signInAtProvider(viaProvider.authorizeUrl, { login, stopAt: callback }));
    const compromised = ok(
      await browser.completeProviderLogin({
        flowId: viaProvider.flow.id,
        completionSecret: viaProvider.completionSecret,
        device: { name: 'Pixel 8', platform: 'ANDROID' },
      }),
    ).completeProviderLogin;
    const oidc = (await self.myIdentities(person.accessToken)).find((identity) => identity.kind === 'OIDC');
    const revoked = ok(await self.revokeIdentity(person.accessToken, { identityId: oidc?.id ?? '', reason: 'phone stolen' }));
    expect(revoked.revokeIdentity.endedSessions.map((s) => [s.id, s.endReason])).toEqual([
      [compromised.session.id, 'IDENTITY_REVOKED'],
    ]);
    // The next request with the compromised session's token is refused; the other session works.
    expect(codeOf(await env.stack.graphql('{ me { id } }', {}, compromised.accessToken))).toBe('UNAUTHENTICATED');
    expect((await self.myIdentities(person.accessToken)).map((i) => i.kind)).toEqual(['EMAIL']);
    expect(codeOf(await signIn.refreshSession(compromised.refreshToken))).toBe('INVALID_REFRESH_TOKEN');
    // The device bound to the ended session is revoked by the device subgraph, from the event.
    const devices = await eventually(async () => {
      const response = await env.stack.graphql<{
        me: { devices: { id: string; status: string; revokedBy: { kind: string; sessionEndReason: string | null } | null }[] };
      }>('{ me { devices(includeRevoked: true) { id status revokedBy { kind sessionEndReason } } } }', {}, person.accessToken);
      const found = ok(response).me.devices.filter((device) => device.status === 'REVOKED');
      if (found.length === 0) throw new Error('no revoked device yet');
      return found;
    });
    expect(devices).toEqual([
      {
        id: compromised.session.deviceId,
        status: 'REVOKED',
        revokedBy: { kind: 'SESSION_REVOKED', sessionEndReason: 'IDENTITY_REVOKED' },
      },
    ]);
    const event = await waitForEvent(events, person.account.id, 'identity.identity.revoked');
    expect(event.data).toMatchObject({
      reason: 'phone stolen',
      remainingVerifiedIdentities: 1,
      identity: { badgeKey: 'microsoft' },
    });

    // The last verified identity can be revoked too: then only recovery is left.
    const [last] = await self.myIdentities(person.accessToken);
    ok(await self.revokeIdentity(person.accessToken, { identityId: last?.id ?? '', reason: 'mailbox taken over' }));
    expect(codeOf(await env.stack.graphql('{ me { id } }', {}, person.accessToken))).toBe('UNAUTHENTICATED');
  });

  it('recovers an account with a recovery code: a restricted session that may only link and make new codes', async () => {
    const person = await signIn.signIn(tenantId, { email: email('forgetful') });
    const codes = ok(await self.generateRecoveryCodes(person.accessToken)).generateRecoveryCodes.codes;
    expect(codes).toHaveLength(10);
    const me = ok(
      await env.stack.graphql<{ me: { handle: string; recoveryCodes: { remaining: number } } }>(
        '{ me { handle recoveryCodes { remaining } } }',
        {},
        person.accessToken,
      ),
    ).me;
    expect(me.recoveryCodes.remaining).toBe(10);
    expect(codeOf(await self.signInWithRecoveryCode({ tenantId, handle: me.handle, code: 'aaaaa-aaaaa' }))).toBe('INVALID_CODE');
    expect(codeOf(await self.signInWithRecoveryCode({ tenantId, handle: 'nobody-here', code: codes[0] ?? '' }))).toBe(
      'INVALID_CODE',
    );

    const recovering = ok(
      await self.signInWithRecoveryCode({ tenantId, handle: me.handle.toUpperCase(), code: (codes[0] ?? '').toUpperCase() }),
    ).signInWithRecoveryCode;
    expect(recovering.session).toMatchObject({ identityKind: 'RECOVERY_CODE' });
    expect(codeOf(await self.signInWithRecoveryCode({ tenantId, handle: me.handle, code: codes[0] ?? '' }))).toBe('INVALID_CODE');
    // Restricted: it reads its own account and links an identity, and nothing else.
    const restricted = await env.stack.graphql(
      'mutation { updateProfile(input: { displayName: "Taken over" }) { account { id } } }',
      {},
      recovering.accessToken,
    );
    expect(codeOf(restricted)).toBe('RESTRICTED_SESSION');
    expect(ok(await env.stack.graphql<{ me: { id: string } }>('{ me { id } }', {}, recovering.accessToken)).me.id).toBe(
      person.account.id,
    );
    ok((await linkEmail(recovering, email('fresh-start'))).verified);
    const [firstIdentity] = await self.myIdentities(recovering.accessToken);
    expect(codeOf(await self.requestIdentityRemoval(recovering.accessToken, firstIdentity?.id ?? ''))).toBe('RESTRICTED_SESSION');
    expect(codeOf(await self.revokeIdentity(recovering.accessToken, { identityId: firstIdentity?.id ?? '', reason: 'x' }))).toBe(
      'RESTRICTED_SESSION',
    );
    await waitForEvent(
      events,
      person.account.id,
      'identity.account.recovery_started',
      (e) => e.data['method'] === 'RECOVERY_CODE',
    );

    // New codes void the old set.
    const fresh = ok(await self.generateRecoveryCodes(recovering.accessToken)).generateRecoveryCodes.codes;
    expect(codeOf(await self.signInWithRecoveryCode({ tenantId, handle: me.handle, code: codes[1] ?? '' }))).toBe('INVALID_CODE');
    ok(await self.signInWithRecoveryCode({ tenantId, handle: me.handle, code: fresh[0] ?? '' }));
  });
  it('lets support recover an account with nothing verified left: a one-time link to a new address, audited', async () => {
    const person = await signIn.signIn(tenantId, { email: email('locked-out') });
    const [only] = await self.myIdentities(person.accessToken);
    ok(await self.revokeIdentity(person.accessToken, { identityId: only?.id ?? '', reason: 'mailbox lost' }));
    const fresh = email('new-address');
    const START = `mutation ($input: StartOperatorRecoveryInput!) { startOperatorRecovery(input: $input) { flowId destination expiresAt } }`;
    const input = {
      tenantId,
      accountId: person.account.id,
      email: fresh,
      reason: 'ticket 4711: lost mailbox',
      returnTo: RETURN_TO,
    };
    const member = await signIn.signIn(tenantId, { email: email('bystander') });
    expect(codeOf(await env.stack.graphql(START, { input }, member.accessToken))).toBe('FORBIDDEN');
    const since = env.stack.mailbox.messages.length;
    ok(await env.stack.graphql(START, { input }, env.adminToken));
    const message = await env.stack.mailbox.waitForMessage((m) => m.to === fresh, { after: since, timeoutMs: 20_000 });
    const link = /(http\S+recovery=\S+)/.exec(message.text)?.[1] ?? '';
    const recovery = new URL(link).searchParams.get('recovery') ?? '';
    env.stack.handledSecrets.add(recovery.slice(recovery.indexOf('.') + 1));
    expect(link.startsWith(`${RETURN_TO}?recovery=`)).toBe(true);

    const COMPLETE = `mutation ($input: CompleteOperatorRecoveryInput!) {
      completeOperatorRecovery(input: $input) { accessToken refreshToken session { id } account { id } }
    }`;
    expect(codeOf(await env.stack.graphql(COMPLETE, { input: { recovery: `${recovery}x` } }))).toBe('INVALID_CODE');
    const recovered = ok(
      await env.stack.graphql<{ completeOperatorRecovery: SignedIn }>(COMPLETE, { input: { recovery } }),
    ).completeOperatorRecovery;
    env.stack.handledSecrets.add(recovered.accessToken);
    env.stack.handledSecrets.add(recovered.refreshToken);
    expect(recovered.account.id).toBe(person.account.id);
    expect((await self.myIdentities(recovered.accessToken)).map((i) => [i.kind, i.verified])).toEqual([['EMAIL', true]]);
    const restricted = await env.stack.graphql(
      'mutation { updateProfile(input: { displayName: "X" }) { account { id } } }',
      {},
      recovered.accessToken,
    );
    expect(codeOf(restricted)).toBe('RESTRICTED_SESSION');
    expect(codeOf(await env.stack.graphql(COMPLETE, { input: { recovery } }))).toBe('INVALID_CODE');
    const event = await waitForEvent(
      events,
      person.account.id,
      'identity.account.recovery_started',
      (e) => e.data['method'] === 'OPERATOR',
    );
    expect(event.data['operatorReason']).toBe('ticket 4711: lost mailbox');
    // Started by an administrator (the platform's): recorded as such, with the reason on the envelope too.
    expect(JSON.parse(event.raw)).toMatchObject({ actortype: 'tenant_admin', actorreason: 'ticket 4711: lost mailbox' });
  });

  it('counts link attempts by method and outcome, verification time, removals and revocations at /metrics', async () => {
    const text = await (await fetch(`${env.stack.adminUrls.identity}/metrics`)).text();
    const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? 0);
    expect(value(/identity_link_attempts_total\{[^}]*method="EMAIL",outcome="LINKED"[^}]*\} (\d+)/)).toBeGreaterThanOrEqual(100);
    expect(
      value(/identity_link_attempts_total\{[^}]*method="EMAIL",outcome="IDENTITY_ALREADY_LINKED"[^}]*\} (\d+)/),
    ).toBeGreaterThanOrEqual(1);
    expect(value(/identity_link_attempts_total\{[^}]*method="PROVIDER",outcome="LINKED"[^}]*\} (\d+)/)).toBeGreaterThanOrEqual(3);
    expect(value(/identity_link_verification_seconds_count\{[^}]*method="EMAIL"[^}]*\} (\d+)/)).toBeGreaterThanOrEqual(100);
    expect(value(/identity_removals_total\{[^}]*how="REMOVED"[^}]*\} (\d+)/)).toBeGreaterThanOrEqual(101);
    expect(value(/identity_removals_total\{[^}]*how="REVOKED"[^}]*\} (\d+)/)).toBeGreaterThanOrEqual(2);
  });

  // Last: it moves the identity clock, and tokens issued after that are from the gateway's future.
  it('needs a recent sign-in to link or remove, and re-authentication by code gives it back', async () => {
    const address = email('stale');
    const person = await signIn.signIn(tenantId, { email: address });
    clock.advance(11 * MINUTE_MS);
    expect(codeOf(await self.startIdentityLink(person.accessToken, { method: 'EMAIL', email: email('later') }))).toBe(
      'REAUTH_REQUIRED',
    );
    const [identity] = await self.myIdentities(person.accessToken);
    expect(codeOf(await self.requestIdentityRemoval(person.accessToken, identity?.id ?? ''))).toBe('REAUTH_REQUIRED');

    const since = env.stack.mailbox.messages.length;
    const reauth = ok(
      await self.startReauthentication(person.accessToken, { identityId: identity?.id ?? '' }),
    ).startReauthentication;
    const { code, message } = await signIn.codeFor(address, since);
    expect(message.text).toContain('confirmation code');
    expect(codeOf(await self.completeReauthentication(person.accessToken, reauth.flowId, '000000'))).toMatch(
      /INVALID_CODE|TOO_MANY/,
    );
    const done = ok(await self.completeReauthentication(person.accessToken, reauth.flowId, code)).completeReauthentication;
    expect(Date.parse(done.session.authenticatedAt)).toBeGreaterThan(Date.now() + 10 * MINUTE_MS);
    ok(await self.startIdentityLink(person.accessToken, { method: 'EMAIL', email: email('later') }));
  });

  it('sweeps flows an hour after they expired, once their events are out', async () => {
    const person = await signIn.signIn(tenantId, { email: email('sweep') });
    const flowId = ok(await signIn.startLogin({ tenantId, email: email('sweep-other') })).startLogin.flow.id;
    const { loginFlows } = env.stack.services.identity.deps;
    expect(await loginFlows.findById(flowId)).not.toBeNull();
    expect(await sweepExpiredFlows(env.stack.services.identity.deps, clock.now())).toBe(0);
    clock.advance(31 * MINUTE_MS + EXPIRED_FLOWS_KEPT_MS);
    expect(await sweepExpiredFlows(env.stack.services.identity.deps, clock.now())).toBeGreaterThan(0);
    expect(await loginFlows.findById(flowId)).toBeNull();
    expect(person.account.id).toBeTruthy();
  });
});
