import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { producerTopic, STARTING_TENANT_POLICY } from '@messngr/contracts';
import { asTenantId } from '@messngr/kit/core';
import { sendSlotModel } from '@messngr/identity/src/persistence/send-slot.model';
import { SendSlotRepository } from '@messngr/identity/src/persistence/send-slot.repository';
import { sendWindow } from '@messngr/identity/src/domain/send-window';
import { eventually } from './harness/eventually';
import { MovableClock } from './harness/movable-clock';
import { signInApi } from './harness/sign-in';
import { useStack, type GraphQLResponse } from './harness/stack';
import { expectError, ok, tenantApi, unique, type EventView, type PolicyView } from './harness/tenant-api';
import { useTopicReader } from './harness/topic-reader';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** The identity subgraph's rules (services/identity/src/domain): 5 attempts per code, 10 wrong codes lock the identifier. */
const ATTEMPTS_PER_CODE = 5;
const FAILURES_BEFORE_LOCKOUT = 10;

/**
 * Passwordless sign-in by one-time code through the gateway, on the real stack: codes read
 * from the real SMTP server and SMS endpoint, the identity subgraph on a clock the tests
 * move, events read back from Kafka. The gateway trusts X-Forwarded-For from loopback
 * (`trust proxy: loopback`), so each test names the client network it comes from.
 */
describe('sign-in by one-time code: channels, refusals and limits', () => {
  const clock = new MovableClock();
  const env = useStack({ identityClock: clock });
  const reader = useTopicReader([producerTopic('identity')]);
  const api = () => signInApi(env.stack);
  const mailbox = () => env.stack.mailbox;

  // Every code the stack sent is a secret the logs must not contain (checked when the stack stops).
  afterEach(() => {
    for (const message of env.stack?.mailbox.messages ?? []) {
      const code = /\b(\d{6})\b/.exec(message.text)?.[1];
      if (code) env.stack.handledSecrets.add(code);
    }
  });

  /** A new tenant with `policy` applied, once the identity subgraph has that policy. */
  async function tenantWith(policy: Record<string, unknown> = {}): Promise<{ id: string; policy: PolicyView }> {
    const tenants = tenantApi(env);
    const created = ok(await tenants.createTenant({ name: unique('Codes') })).createTenant.tenant;
    let view = created.settings!.policy;
    if (Object.keys(policy).length > 0) {
      view = ok(await tenants.updatePolicy({ tenantId: created.id, ...policy })).updateTenantPolicy.tenant.settings!.policy;
    }
    await policyReachedIdentity(created.id, view);
    return { id: created.id, policy: view };
  }

  async function updatePolicy(tenantId: string, policy: Record<string, unknown>): Promise<void> {
    const view = ok(await tenantApi(env).updatePolicy({ tenantId, ...policy })).updateTenantPolicy.tenant.settings!.policy;
    await policyReachedIdentity(tenantId, view);
  }

  /** The identity subgraph learns policies from the tenant's events: wait until its copy says `view`. */
  async function policyReachedIdentity(tenantId: string, view: PolicyView): Promise<void> {
    await eventually(async () => {
      const replica = await env.stack.services.identity.deps.tenants.findById(asTenantId(tenantId));
      if (!replica) throw new Error('the identity subgraph does not know the tenant yet');
      const policy = replica.policy ?? STARTING_TENANT_POLICY;
      expect({
        allowPhoneIdentities: policy.allowPhoneIdentities,
        allowSignUp: policy.allowSignUp,
        otpSendLimits: policy.otpSendLimits,
      }).toEqual({
        allowPhoneIdentities: view.allowPhoneIdentities,
        allowSignUp: view.allowSignUp,
        otpSendLimits: view.otpSendLimits,
      });
    });
  }

  const messagesTo = (to: string) => mailbox().messages.filter((message) => message.to === to);

  /** Waits until exactly `count` messages reached `to`. */
  async function expectMessagesTo(to: string, count: number): Promise<void> {
    await eventually(async () => expect(messagesTo(to)).toHaveLength(count));
  }

  /**
   * Nothing more reaches `addresses` (beyond the counts now): the courier sends oldest first,
   * so once a code asked for afterwards (in a tenant of its own) has arrived, anything still
   * owed to them would have arrived before it.
   */
  let markerTenantId: string | undefined;
  async function expectNothingMoreTo(addresses: string[]): Promise<void> {
    const counts = addresses.map((address) => messagesTo(address).length);
    markerTenantId ??= (await tenantWith()).id;
    const marker = address('marker');
    const since = mailbox().messages.length;
    ok(await api().startLogin({ tenantId: markerTenantId, email: marker }, from(network())));
    await api().codeFor(marker, since);
    expect(addresses.map((address) => messagesTo(address).length)).toEqual(counts);
  }

  async function startAndRead(tenantId: string, email: string, headers: Record<string, string>) {
    const since = mailbox().messages.length;
    const flow = ok(await api().startLogin({ tenantId, email }, headers)).startLogin.flow;
    const { code } = await api().codeFor(email, since);
    return { flow, code };
  }

  it('signs in by SMS: a written-out number becomes E.164, the code comes through the SMS gateway, the identity is a PHONE', async () => {
    const tenant = await tenantWith();
    expect(tenant.policy.allowPhoneIdentities).toBe(true);
    const headers = from(network());
    // A UK number as people write it: spaces, and the national trunk prefix in brackets.
    const e164 = '+442079460958';
    const since = mailbox().messages.length;
    const flow = ok(await api().startLogin({ tenantId: tenant.id, phone: ' +44 (0)20 7946 0958 ' }, headers)).startLogin.flow;
    expect(flow).toMatchObject({ state: 'CODE_SENT', channel: 'PHONE', destination: '+44 ••• •• 958' });
    const { message, code } = await api().codeFor(e164, since);
    expect(message.kind).toBe('sms');

    const signedIn = ok(await api().completeLogin({ flowId: flow.id, code }, headers)).completeLogin;
    expect(signedIn).toMatchObject({
      accountCreated: true,
      session: { status: 'ACTIVE', identityKind: 'PHONE', identityDisplayValue: '+44 ••• •• 958' },
    });
    const me = ok(
      await env.stack.graphql<{ me: { id: string; identities: { kind: string; verified: boolean; displayValue: string }[] } }>(
        `{ me { id identities { kind verified displayValue } } }`,
        {},
        signedIn.accessToken,
      ),
    ).me;
    expect(me).toEqual({
      id: signedIn.account.id,
      identities: [{ kind: 'PHONE', verified: true, displayValue: '+44 ••• •• 958' }],
    });

    // Written another way, it is the same number and the same account.
    const again = await api().signIn(tenant.id, { phone: '+44 20-7946-0958' });
    expect(again).toMatchObject({
      accountCreated: false,
      account: { id: signedIn.account.id },
      session: { identityKind: 'PHONE' },
    });

    // Without a country code a number is ambiguous across the tenant's countries: refused, nothing sent.
    expectError(await api().startLogin({ tenantId: tenant.id, phone: '020 7946 0958' }, headers), 'BAD_USER_INPUT', 'phone');

    const noPhones = await tenantWith({ allowPhoneIdentities: false });
    const refused = await api().startLogin({ tenantId: noPhones.id, phone: '+47 912 34 567' }, headers);
    expectError(refused, 'PHONE_NOT_ALLOWED');
    expect(refused.data?.startLogin ?? null).toBeNull();
    await expectNothingMoreTo(['+4791234567']);
    expect(messagesTo('+4791234567')).toHaveLength(0);
  });

  it('refuses a code of another flow, and a code past its ten minutes; a new code then works until the flow expires', async () => {
    const { id: tenantId } = await tenantWith();
    const headers = from(network());
    const email = address('expiry');
    const first = await startAndRead(tenantId, email, headers);
    let second = await startAndRead(tenantId, email, headers);
    while (second.code === first.code) {
      const since = mailbox().messages.length;
      ok(await api().resendLoginCode(second.flow.id, headers));
      second = { flow: second.flow, code: (await api().codeFor(email, since)).code };
    }
    // Each code is bound to its flow: the other flow's code, to the same address, is wrong.
    expectError(await api().completeLogin({ flowId: first.flow.id, code: second.code }, headers), 'INVALID_CODE');
    expectError(await api().completeLogin({ flowId: second.flow.id, code: first.code }, headers), 'INVALID_CODE');
    ok(await api().completeLogin({ flowId: first.flow.id, code: first.code }, headers));

    // Ten minutes and a second later the code is dead, even though the flow lives for thirty.
    clock.advance(10 * MINUTE_MS + 1_000);
    expectError(await api().completeLogin({ flowId: second.flow.id, code: second.code }, headers), 'FLOW_EXPIRED');
    const since = mailbox().messages.length;
    ok(await api().resendLoginCode(second.flow.id, headers));
    const { code: fresh } = await api().codeFor(email, since);
    if (fresh !== second.code) {
      expectError(await api().completeLogin({ flowId: second.flow.id, code: second.code }, headers), 'INVALID_CODE');
    }
    const signedIn = ok(await api().completeLogin({ flowId: second.flow.id, code: fresh }, headers)).completeLogin;
    expect(signedIn.accountCreated).toBe(false);

    // A flow lives thirty minutes from its start: after that neither its code nor a new one.
    const third = await startAndRead(tenantId, email, headers);
    clock.advance(30 * MINUTE_MS);
    expectError(await api().resendLoginCode(third.flow.id, headers), 'FLOW_EXPIRED');
    expectError(await api().completeLogin({ flowId: third.flow.id, code: third.code }, headers), 'FLOW_EXPIRED');
  });

  it('allows five attempts per code: after five wrong ones even the right code is refused, and a new code gets five again', async () => {
    const { id: tenantId } = await tenantWith();
    const headers = from(network());
    const email = address('attempts');
    const { flow, code } = await startAndRead(tenantId, email, headers);
    for (const wrong of wrongCodes(code, ATTEMPTS_PER_CODE)) {
      expectError(await api().completeLogin({ flowId: flow.id, code: wrong }, headers), 'INVALID_CODE');
    }
    expectError(await api().completeLogin({ flowId: flow.id, code }, headers), 'TOO_MANY_ATTEMPTS');

    const since = mailbox().messages.length;
    ok(await api().resendLoginCode(flow.id, headers));
    const { code: fresh } = await api().codeFor(email, since);
    for (const wrong of wrongCodes(fresh, ATTEMPTS_PER_CODE - 1)) {
      expectError(await api().completeLogin({ flowId: flow.id, code: wrong }, headers), 'INVALID_CODE');
    }
    // Nine wrong codes for the address so far, one short of a lockout: the fifth attempt, right, signs in.
    ok(await api().completeLogin({ flowId: flow.id, code: fresh }, headers));
  });

  it('counts 50 concurrent wrong guesses exactly, per code and per address: five count, the rest are refused, the tenth wrong code locks', async () => {
    const { id: tenantId } = await tenantWith();
    const headers = from(network());
    const email = address('burst');
    const target = await startAndRead(tenantId, email, headers);
    const second = await startAndRead(tenantId, email, headers);
    const third = await startAndRead(tenantId, email, headers);

    const burst = await Promise.all(
      wrongCodes(target.code, 50).map((wrong) => api().completeLogin({ flowId: target.flow.id, code: wrong }, headers)),
    );
    const outcomes = tally(burst);
    expect(outcomes).toEqual({ INVALID_CODE: ATTEMPTS_PER_CODE, TOO_MANY_ATTEMPTS: 50 - ATTEMPTS_PER_CODE });
    expectError(await api().completeLogin({ flowId: target.flow.id, code: target.code }, headers), 'TOO_MANY_ATTEMPTS');

    // The address counted five wrong codes (the refused ones are no guesses). Four more at once make nine: not locked yet.
    const more = await Promise.all(
      wrongCodes(second.code, 4).map((wrong) => api().completeLogin({ flowId: second.flow.id, code: wrong }, headers)),
    );
    expect(tally(more)).toEqual({ INVALID_CODE: 4 });
    // The tenth is still answered as a wrong code (the lock is checked first, so it was not locked at nine)…
    const [tenth] = wrongCodes(second.code, 1);
    expectError(await api().completeLogin({ flowId: second.flow.id, code: tenth! }, headers), 'INVALID_CODE');
    // …and locks the address: the right code of another live flow is refused now.
    expectError(await api().completeLogin({ flowId: third.flow.id, code: third.code }, headers), 'LOCKED_OUT');
  });

  it('limits codes per address, whatever its spelling, resends included; a refused send sends nothing', async () => {
    clock.leaveRoomInHour(5 * MINUTE_MS);
    const { id: tenantId, policy } = await tenantWith();
    expect(policy.otpSendLimits.perIdentifierPerHour).toBe(5);
    const headers = from(network());
    const email = address('per-address');
    const spellings = [email, email.toUpperCase(), `  ${email} `];
    const flows = [];
    for (const spelling of spellings)
      flows.push(ok(await api().startLogin({ tenantId, email: spelling }, headers)).startLogin.flow);
    // A code replaced before the courier sent it is not sent at all: wait for each before replacing it.
    await expectMessagesTo(email, 3);
    ok(await api().resendLoginCode(flows[0]!.id, headers));
    await expectMessagesTo(email, 4);
    ok(await api().resendLoginCode(flows[1]!.id, headers));
    await expectMessagesTo(email, 5);

    const refused = await api().startLogin({ tenantId, email: email.toUpperCase() }, headers);
    expectError(refused, 'RATE_LIMITED');
    expect(retryAfterSeconds(refused)).toBeGreaterThan(0);
    expect(retryAfterSeconds(refused)).toBeLessThanOrEqual(3_600);
    expectError(await api().resendLoginCode(flows[2]!.id, headers), 'RATE_LIMITED');
    // Another address from the same network in the same tenant still gets its code.
    const other = address('per-address-other');
    await startAndRead(tenantId, other, headers);
    await expectNothingMoreTo([email]);
    expect(messagesTo(email)).toHaveLength(5);
  });

  it("limits codes per tenant, from any address and network, without touching another tenant's allowance", async () => {
    clock.leaveRoomInHour(5 * MINUTE_MS);
    const limited = await tenantWith({ otpSendLimits: { perTenantPerHour: 3 } });
    const neighbour = await tenantWith({ otpSendLimits: { perTenantPerHour: 3 } });
    for (const tenant of [limited, neighbour]) {
      for (let n = 0; n < 3; n += 1) await startAndRead(tenant.id, address('per-tenant'), from(network()));
      const refusedTo = address('per-tenant-refused');
      const refused = await api().startLogin({ tenantId: tenant.id, email: refusedTo }, from(network()));
      expectError(refused, 'RATE_LIMITED');
      expect(retryAfterSeconds(refused)).toBeLessThanOrEqual(3_600);
      await expectNothingMoreTo([refusedTo]);
      expect(messagesTo(refusedTo)).toHaveLength(0);
    }
  });

  it('gives a full allowance again in the next hour, and sweeps the slots of ended hours away', async () => {
    clock.leaveRoomInHour(5 * MINUTE_MS);
    const { id: tenantId } = await tenantWith({ otpSendLimits: { perTenantPerHour: 2 } });
    for (let n = 0; n < 2; n += 1) await startAndRead(tenantId, address('next-hour'), from(network()));
    expectError(await api().startLogin({ tenantId, email: address('next-hour') }, from(network())), 'RATE_LIMITED');
    clock.leaveRoomInHour(HOUR_MS);
    const { sendSlots } = env.stack.services.identity.deps;
    // Every slot of the hours before (this test's and the other tests') is gone; the new hour's allowance is whole.
    expect(await sendSlots.sweepEnded(clock.now())).toBeGreaterThanOrEqual(2 * 3);
    expect(await sendSlots.sweepEnded(clock.now())).toBe(0);
    for (let n = 0; n < 2; n += 1) await startAndRead(tenantId, address('next-hour'), from(network()));
    expectError(await api().startLogin({ tenantId, email: address('next-hour') }, from(network())), 'RATE_LIMITED');
  });

  it('numbers slots without gaps across instances: one that starts cold continues where the other left off', async () => {
    const { sendSlots: warm } = env.stack.services.identity.deps;
    const { connection } = env.stack.services.identity.runtime;
    const cold = new SendSlotRepository(connection.models['SendSlot'] ?? sendSlotModel(connection));
    const tenantId = asTenantId(`ten_slots${randomBytes(4).toString('hex')}`);
    const scope = `${tenantId}:ip:192.0.2.${randomBytes(1)[0]}`;
    const window = sendWindow(clock.now());
    for (let n = 0; n < 7; n += 1) expect(await warm.take(tenantId, scope, window, 9)).toBe(true);
    // The cold one finds the lowest free slot (8) by searching, the warm one skips what the other took.
    expect(await cold.take(tenantId, scope, window, 9)).toBe(true);
    expect(await warm.take(tenantId, scope, window, 9)).toBe(true);
    expect(await cold.isFull(tenantId, scope, window, 9)).toBe(true);
    expect(await warm.take(tenantId, scope, window, 9)).toBe(false);
    expect(await new SendSlotRepository(connection.models['SendSlot']!).take(tenantId, scope, window, 9)).toBe(false);
    expect(await cold.isFull(tenantId, scope, window, 10)).toBe(false);
  });

  it('limits codes per client network (X-Forwarded-For from the trusted proxy); refused tries use up nothing of the address', async () => {
    clock.leaveRoomInHour(5 * MINUTE_MS);
    const { id: tenantId } = await tenantWith({ otpSendLimits: { perIpPerHour: 3 } });
    const busy = from(network());
    for (let n = 0; n < 3; n += 1) await startAndRead(tenantId, address('per-ip'), busy);
    const person = address('per-ip-person');
    // Someone behind the same busy network tries more often than their own limit (five an hour).
    for (let n = 0; n < 6; n += 1) expectError(await api().startLogin({ tenantId, email: person }, busy), 'RATE_LIMITED');
    await expectNothingMoreTo([person]);
    expect(messagesTo(person)).toHaveLength(0);
    // From another network the same person gets a code: the refused tries did not count against the address.
    await startAndRead(tenantId, person, from(network()));
  });

  it('locks an address after ten wrong codes, longer the second time, and publishes the lockout without the address', async () => {
    const { id: tenantId } = await tenantWith({ otpSendLimits: { perIdentifierPerHour: 50 } });
    const headers = from(network());
    const email = address('lockout');
    const localPart = email.slice(0, email.indexOf('@'));

    /** Ten wrong codes over two flows; the answers, and a third flow started before, whose right code is then refused. */
    async function lockOut(): Promise<{ retryAfter: number; event: PublishedEvent }> {
      const flows = [await startAndRead(tenantId, email, headers), await startAndRead(tenantId, email, headers)];
      const spare = await startAndRead(tenantId, email, headers);
      for (const { flow, code } of flows) {
        for (const wrong of wrongCodes(code, FAILURES_BEFORE_LOCKOUT / flows.length)) {
          expectError(await api().completeLogin({ flowId: flow.id, code: wrong }, headers), 'INVALID_CODE');
        }
      }
      expectError(await api().completeLogin({ flowId: spare.flow.id, code: spare.code }, headers), 'LOCKED_OUT');
      expectError(await api().resendLoginCode(spare.flow.id, headers), 'LOCKED_OUT');
      const since = mailbox().messages.length;
      const refused = await api().startLogin({ tenantId, email }, headers);
      expectError(refused, 'LOCKED_OUT');
      const lockedAt = clock.now().getTime();
      const event = await eventually(async () => {
        const events = reader.messages
          .map((message) => readEvent(message.key, message.value))
          .filter(
            (candidate): candidate is PublishedEvent =>
              candidate?.type === 'identity.login.locked_out' && candidate.tenantid === tenantId,
          )
          .filter((candidate) => Date.parse(String(candidate.data['lockedUntil'])) > lockedAt);
        // Delivery is at least once: a redelivered event (same id) counts once.
        expect(new Set(events.map((candidate) => candidate.id)).size).toBe(1);
        return events[0]!;
      });
      await expectNothingMoreTo([email]);
      expect(
        mailbox()
          .messages.slice(since)
          .filter((message) => message.to === email),
      ).toHaveLength(0);
      return { retryAfter: retryAfterSeconds(refused), event };
    }

    const first = await lockOut();
    expect(first.retryAfter).toBeGreaterThan(14 * 60);
    expect(first.retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(first.event.data).toMatchObject({ identifierKind: 'EMAIL', identifierDisplay: 'l***@example.com', failures: 10 });
    expect(Date.parse(String(first.event.data['lockedUntil'])) - Date.parse(first.event.time)).toBe(15 * MINUTE_MS);

    // Past the first lockout the address signs in again; ten more wrong codes lock it twice as long.
    clock.advance(15 * MINUTE_MS + 1_000);
    const second = await lockOut();
    expect(second.retryAfter).toBeGreaterThan(first.retryAfter);
    expect(second.retryAfter).toBeGreaterThan(29 * 60);
    expect(second.retryAfter).toBeLessThanOrEqual(30 * 60);
    expect(Date.parse(String(second.event.data['lockedUntil'])) - Date.parse(second.event.time)).toBe(30 * MINUTE_MS);

    for (const event of [first.event, second.event]) {
      // The subject and key are an opaque digest; nothing in the event names the address.
      expect(event.key).toBe(event.subject);
      for (const revealing of [email, localPart, email.toUpperCase()])
        expect(event.raw.toLowerCase()).not.toContain(revealing.toLowerCase());
    }
    expect(first.event.subject).toBe(second.event.subject);
  });

  it('answers the same for a known and an unknown address, in the same time, with sign-up allowed and without', async () => {
    const limits = { otpSendLimits: { perIdentifierPerHour: 100, perIpPerHour: 1_000 } };
    const open = await tenantWith(limits);
    const closed = await tenantWith(limits);
    const headers = from(network());
    const known = { open: address('known'), closed: address('known') };
    await api().signIn(open.id, { email: known.open });
    await api().signIn(closed.id, { email: known.closed });
    await updatePolicy(closed.id, { allowSignUp: false });
    const unknown: Record<'open' | 'closed', string[]> = { open: [], closed: [] };

    for (const [tenantId, knownAddress] of [
      [open.id, known.open],
      [closed.id, known.closed],
    ] as const) {
      const answers: Record<'known' | 'unknown', { shape: unknown; ms: number; flowId: string }[]> = { known: [], unknown: [] };
      for (let round = 0; round < 20; round += 1) {
        // Alternating which goes first, so that whatever one leaves behind (a code to send) weighs on both alike.
        const order = round % 2 === 0 ? (['known', 'unknown'] as const) : (['unknown', 'known'] as const);
        for (const kind of order) {
          const email = kind === 'known' ? knownAddress : address('unknown');
          if (kind === 'unknown') unknown[tenantId === open.id ? 'open' : 'closed'].push(email);
          const started = performance.now();
          const response = await api().startLogin({ tenantId, email }, headers);
          const ms = performance.now() - started;
          answers[kind].push({ shape: shapeOf(response), ms, flowId: ok(response).startLogin.flow.id });
        }
      }
      for (const answer of [...answers.known, ...answers.unknown]) expect(answer.shape).toEqual(answers.known[0]!.shape);
      const knownMs = median(answers.known.map((answer) => answer.ms));
      const unknownMs = median(answers.unknown.map((answer) => answer.ms));
      // Generous, for a loaded two-core machine: it catches gross differences (a code sent before
      // answering, a known address taking twice as long), not a few milliseconds.
      expect(Math.abs(knownMs - unknownMs)).toBeLessThan(Math.max(25, 0.5 * Math.max(knownMs, unknownMs)));

      // A wrong code: the same answer too (a code neither flow was sent).
      const knownFlow = await startAndRead(tenantId, knownAddress, headers);
      const unknownAddress = address('unknown');
      const unknownFlow =
        tenantId === open.id
          ? await startAndRead(tenantId, unknownAddress, headers)
          : { flow: ok(await api().startLogin({ tenantId, email: unknownAddress }, headers)).startLogin.flow, code: null };
      unknown[tenantId === open.id ? 'open' : 'closed'].push(unknownAddress);
      const [wrong] = wrongCodes(knownFlow.code, 2).filter((candidate) => candidate !== unknownFlow.code);
      const knownWrong = errorShapeOf(await api().completeLogin({ flowId: knownFlow.flow.id, code: wrong! }, headers));
      expect(knownWrong).toMatchObject({ errors: [{ extensions: { code: 'INVALID_CODE' } }] });
      expect(errorShapeOf(await api().completeLogin({ flowId: unknownFlow.flow.id, code: wrong! }, headers))).toEqual(knownWrong);
    }
    // Without sign-up, nothing went to the unknown addresses; the known one got every code (and with sign-up, everyone).
    await expectMessagesTo(known.closed, 22);
    await expectMessagesTo(known.open, 22);
    for (const email of unknown.open) await expectMessagesTo(email, 1);
    await expectNothingMoreTo(unknown.closed);
    expect(unknown.closed.filter((email) => messagesTo(email).length > 0)).toEqual([]);
  });
});

/** A fresh address in the reserved example domain. */
function address(prefix: string): string {
  return `${prefix}.${randomBytes(5).toString('hex')}@example.com`;
}

/** A fresh client address in TEST-NET-3 (RFC 5737). */
let networks = 0;
function network(): string {
  networks += 1;
  return `203.0.113.${networks % 250}`;
}

function from(ip: string): Record<string, string> {
  return { 'x-forwarded-for': ip };
}

/** `count` distinct six-digit codes, none of them `right`. */
function wrongCodes(right: string, count: number): string[] {
  const codes: string[] = [];
  for (let n = 0; codes.length < count; n += 1) {
    const candidate = String((Number(right) + 1 + n * 7_919) % 1_000_000).padStart(6, '0');
    if (candidate !== right && !codes.includes(candidate)) codes.push(candidate);
  }
  return codes;
}

function tally(responses: GraphQLResponse<unknown>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const response of responses) {
    const outcome = response.errors?.length ? String(response.errors[0]!.extensions?.code) : 'ACCEPTED';
    counts[outcome] = (counts[outcome] ?? 0) + 1;
  }
  return counts;
}

function retryAfterSeconds(response: GraphQLResponse<unknown>): number {
  return Number(response.errors?.[0]?.extensions?.['retryAfterSeconds']);
}

/** The response with what differs between any two flows (ids, times, the masked address) replaced by its type. */
function shapeOf(response: GraphQLResponse<unknown>): unknown {
  const blank = (value: unknown, key = ''): unknown => {
    if (Array.isArray(value)) return value.map((item) => blank(item));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, blank(inner, name)]));
    }
    return ['id', 'expiresAt', 'codeExpiresAt', 'destination'].includes(key) ? typeof value : value;
  };
  return blank(response);
}

/** A refusal as the client sees it: status, data and every error with its message, code and path. */
function errorShapeOf(response: GraphQLResponse<unknown>): unknown {
  return { status: response.status, data: response.data ?? null, errors: response.errors };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

type PublishedEvent = EventView & { time: string };

function readEvent(key: string | null, value: string): PublishedEvent | undefined {
  try {
    return { ...(JSON.parse(value) as Omit<PublishedEvent, 'key' | 'raw'>), key, raw: value };
  } catch {
    return undefined;
  }
}
