import { randomUUID } from 'node:crypto';
import { producerTopic, SUBGRAPH_NAMES } from '@messngr/contracts';
import { eventually } from './harness/eventually';
import { SPAN_KIND, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './harness/otlp-receiver';
import { signInApi, type SignInApi } from './harness/sign-in';
import { expectNoSecretInLogs, startStack, useStack, type Stack } from './harness/stack';
import { ok, tenantApi, unique } from './harness/tenant-api';

/**
 * Metrics and traces on the real stack: each process serves `/metrics` on its operations
 * port only, the counters of a sign-in move by what the flow did, and the spans of one
 * sign-in arrive at a real OTLP/HTTP endpoint as one trace, gateway to consumer.
 */

type Series = { labels: Record<string, string>; value: number };

/** The samples of `name` in a Prometheus text exposition. */
function samples(exposition: string, name: string): Series[] {
  const found: Series[] = [];
  for (const line of exposition.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[key!] = value!;
    found.push({ labels, value: Number(match[3]) });
  }
  return found;
}

/** The sum of the samples of `name` whose labels include `labels` (0 when there is none yet). */
function valueOf(exposition: string, name: string, labels: Record<string, string> = {}): number {
  return samples(exposition, name)
    .filter((series) => Object.entries(labels).every(([key, value]) => series.labels[key] === value))
    .reduce((sum, series) => sum + series.value, 0);
}

async function scrape(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
}

function email(label: string): string {
  return `${label}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}@example.com`;
}

async function newTenant(stack: Stack, adminToken: string): Promise<string> {
  const tenants = tenantApi({ stack, adminToken });
  const tenant = ok(await tenants.createTenant({ name: unique('Observed') })).createTenant.tenant;
  ok(await tenants.updatePolicy({ tenantId: tenant.id, otpSendLimits: { perIdentifierPerHour: 50, perIpPerHour: 500 } }));
  return tenant.id;
}

describe('metrics on the operations ports', () => {
  const env = useStack();
  let signIn: SignInApi;
  let tenantId: string;

  beforeAll(async () => {
    signIn = signInApi(env.stack);
    tenantId = await newTenant(env.stack, env.adminToken);
  });

  it('serves /metrics on each operations port and never on the public or subgraph ports', async () => {
    const publicBase = new URL(env.stack.gatewayUrl).origin;
    expect((await fetch(`${publicBase}/metrics`)).status).toBe(404);
    expect(await scrape(env.stack.gatewayAdminUrl)).toContain('service="gateway"');
    for (const name of SUBGRAPH_NAMES) {
      expect((await fetch(`${env.stack.subgraphUrls[name]}/metrics`)).status).toBe(404);
      expect(await scrape(env.stack.adminUrls[name])).toContain(`service="${name}"`);
      expect((await fetch(`${env.stack.adminUrls[name]}/healthz`)).status).toBe(200);
      // Readiness answers on both: the gateway and orchestrators ask a subgraph's own port.
      expect((await fetch(`${env.stack.adminUrls[name]}/readyz`)).status).toBe(200);
      expect((await fetch(`${env.stack.subgraphUrls[name]}/readyz`)).status).toBe(200);
    }
  });

  it('counts a sign-in, the code sent for it and a refresh, each once', async () => {
    const identity = env.stack.adminUrls.identity;
    const address = email('counted');
    const before = await scrape(identity);
    // Until identity knows the new tenant, the start is refused: nothing is sent or counted then.
    const signedIn = await eventually(() => signIn.signIn(tenantId, { email: address }), { timeoutMs: 30_000, intervalMs: 250 });
    const refreshed = ok(await signIn.refreshSession(signedIn.refreshToken)).refreshSession;
    expect(refreshed.session.id).toBe(signedIn.session.id);
    const refused = await signIn.refreshSession(signedIn.refreshToken.replace(/.$/, (last) => (last === 'A' ? 'B' : 'A')));
    expect(refused.errors?.[0]?.extensions?.code).toBe('INVALID_REFRESH_TOKEN');
    const after = await scrape(identity);
    const delta = (name: string, labels: Record<string, string>) => valueOf(after, name, labels) - valueOf(before, name, labels);

    expect(delta('identity_sign_ins_total', { method: 'CODE', outcome: 'SIGNED_IN' })).toBe(1);
    expect(delta('identity_sign_ins_total', {})).toBe(1);
    expect(delta('identity_otp_sends_total', { channel: 'EMAIL', purpose: 'SIGN_IN', outcome: 'SENT' })).toBe(1);
    expect(delta('identity_session_refreshes_total', { outcome: 'ROTATED' })).toBe(1);
    expect(delta('identity_session_refreshes_total', { outcome: 'INVALID_REFRESH_TOKEN' })).toBe(1);
  });

  it('counts wrong codes by outcome and the lockout they end in', async () => {
    const identity = env.stack.adminUrls.identity;
    const address = email('locked');
    const before = await scrape(identity);
    // Ten wrong codes over two flows (five per code) lock the address out.
    for (let flow = 0; flow < 2; flow += 1) {
      const started = ok(await signIn.startLogin({ tenantId, email: address })).startLogin.flow;
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const answer = await signIn.completeLogin({ flowId: started.id, code: '000000' });
        expect(answer.errors?.[0]?.extensions?.code).toBe('INVALID_CODE');
      }
    }
    const locked = await signIn.completeLogin({ flowId: 'lgn_unknown', code: '000000' });
    expect(locked.errors?.[0]?.extensions?.code).toBe('INVALID_CODE');
    const after = await scrape(identity);
    const delta = (name: string, labels: Record<string, string>) => valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(delta('identity_sign_ins_total', { method: 'CODE', outcome: 'INVALID_CODE' })).toBe(11);
    expect(delta('identity_sign_ins_total', { outcome: 'SIGNED_IN' })).toBe(0);
    expect(delta('identity_login_lockouts_total', { channel: 'EMAIL' })).toBe(1);
  });

  it('counts access tokens the gateway refuses, by reason', async () => {
    const before = await scrape(env.stack.gatewayAdminUrl);
    const garbage = await env.stack.graphql(`{ __typename }`, {}, 'garbage.not.a-token');
    expect(garbage.status).toBe(401);
    expect(garbage.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const after = await scrape(env.stack.gatewayAdminUrl);
    const name = 'gateway_token_verification_failures_total';
    expect(valueOf(after, name, { reason: 'malformed_token' }) - valueOf(before, name, { reason: 'malformed_token' })).toBe(1);
    expect(valueOf(after, name) - valueOf(before, name)).toBe(1);
  });

  it('shows outbox lag, consumer lag per topic and the dead-letter counter', async () => {
    const identity = await scrape(env.stack.adminUrls.identity);
    const outbox = samples(identity, 'outbox_oldest_pending_age_seconds');
    expect(outbox.length).toBeGreaterThan(0);
    // The relay publishes within moments: no outbox of an idle stack waits a minute.
    for (const series of outbox) expect(series.value).toBeGreaterThanOrEqual(0);
    await eventually(async () => {
      const fresh = await scrape(env.stack.adminUrls.identity);
      for (const series of samples(fresh, 'outbox_oldest_pending_age_seconds')) expect(series.value).toBeLessThan(60);
    });

    const identityTopic = producerTopic('identity');
    for (const consumer of ['device', 'audit'] as const) {
      const text = await scrape(env.stack.adminUrls[consumer]);
      const lag = samples(text, 'events_consumer_lag_messages');
      expect(lag.map((series) => series.labels['topic'])).toContain(identityTopic);
      for (const series of lag) {
        expect(Number.isInteger(series.value)).toBe(true);
        expect(series.value).toBeGreaterThanOrEqual(0);
      }
      expect(text).toContain('# TYPE events_dead_lettered_total counter');
    }
  });
});

describe('traces of one sign-in, exported over OTLP/HTTP', () => {
  let receiver: OtlpReceiver;
  let stack: Stack;
  let adminToken: string;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    stack = await startStack({ otlpEndpoint: receiver.url });
    adminToken = await stack.adminTokenFromCli();
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
    if (stack) expectNoSecretInLogs(stack);
  });

  it('forms one trace from the gateway through identity and Kafka to the consumers, every parent present', async () => {
    const signIn = signInApi(stack);
    const tenantId = await newTenant(stack, adminToken);
    const address = email('traced');
    const flow = await eventually(async () => ok(await signIn.startLogin({ tenantId, email: address })).startLogin.flow, {
      timeoutMs: 30_000,
    });
    const { code } = await signIn.codeFor(address, 0);
    const correlationId = `trace-${randomUUID()}`;
    const signedIn = ok(
      await signIn.completeLogin(
        { flowId: flow.id, code, device: { name: 'Pixel 8', platform: 'ANDROID' } },
        { 'x-correlation-id': correlationId },
      ),
    ).completeLogin;
    expect(signedIn.session.deviceId).toBeTruthy();
    const startedTopic = producerTopic('identity');

    const trace = await eventually(
      async () => {
        const root = receiver.spans.find(
          (span) =>
            span.service === 'gateway' &&
            span.kind === SPAN_KIND.SERVER &&
            span.attributes['messngr.correlation_id'] === correlationId,
        );
        expect(root).toBeDefined();
        const spans = receiver.spans.filter((span) => span.traceId === root!.traceId);
        const consumers = spans.filter((span) => span.kind === SPAN_KIND.CONSUMER && span.name === `consume ${startedTopic}`);
        // Device registers the sign-in's device from it; audit (catching up on the shared topics' history) may come later.
        expect(consumers.map((span) => span.service)).toContain('device');
        return { root: root!, spans };
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );

    const { root, spans } = trace;
    expect(receiver.refused).toEqual([]);
    expect(root.parentSpanId).toBe('');
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    // One root; every other span's parent is a span of the same trace that arrived.
    expect(spans.filter((span) => span.parentSpanId === '')).toEqual([root]);
    const orphans = spans.filter((span) => span.parentSpanId !== '' && !byId.has(span.parentSpanId));
    expect(orphans.map(describeSpan)).toEqual([]);

    const parentOf = (span: ReceivedSpan) => byId.get(span.parentSpanId);
    const ancestry = (span: ReceivedSpan): ReceivedSpan[] => {
      const chain: ReceivedSpan[] = [];
      for (let at = parentOf(span); at; at = parentOf(at)) chain.push(at);
      return chain;
    };
    // The identity request: its server span is the child of the gateway's fetch from identity, itself the root's.
    const identityRequests = spans.filter((span) => span.service === 'identity' && span.kind === SPAN_KIND.SERVER);
    expect(identityRequests.length).toBeGreaterThan(0);
    for (const request of identityRequests) {
      expect(describeSpan(parentOf(request)!)).toBe('gateway CLIENT subgraph identity');
      expect(parentOf(parentOf(request)!)).toBe(root);
    }
    // Each consumer's span: the child of identity's publish, which descends from the identity request.
    for (const consumer of spans.filter((span) => span.kind === SPAN_KIND.CONSUMER && span.name === `consume ${startedTopic}`)) {
      const publish = parentOf(consumer)!;
      expect(describeSpan(publish)).toBe(`identity PRODUCER publish ${startedTopic}`);
      expect(ancestry(publish).some((span) => identityRequests.includes(span))).toBe(true);
      expect(ancestry(consumer).at(-1)).toBe(root);
    }
    expect([...new Set(spans.map((span) => span.service))]).toEqual(expect.arrayContaining(['gateway', 'identity', 'device']));
  });

  it('writes the trace and span ids beside the correlation id in the logs of a traced request', async () => {
    const correlationId = `trace-${randomUUID()}`;
    // The gateway logs the refusal of a token, inside the request's span.
    const refused = await stack.graphqlAs(
      `{ __typename }`,
      {},
      { token: 'garbage.not.a-token', headers: { 'x-correlation-id': correlationId } },
    );
    expect(refused.status).toBe(401);
    const line = await eventually(async () => {
      const found = stack.logs.lines.find((candidate) => candidate.includes(`"correlationId":"${correlationId}"`));
      expect(found).toBeDefined();
      return JSON.parse(found!) as { traceId?: string; spanId?: string };
    });
    const root = await eventually(async () => {
      const span = receiver.spans.find((candidate) => candidate.attributes['messngr.correlation_id'] === correlationId);
      expect(span).toBeDefined();
      return span!;
    });
    expect(line.traceId).toBe(root.traceId);
    expect(line.spanId).toBe(root.spanId);
  });
});

function describeSpan(span: ReceivedSpan): string {
  const kind = Object.entries(SPAN_KIND).find(([, value]) => value === span.kind)?.[0] ?? String(span.kind);
  return `${span.service} ${kind} ${span.name}`;
}
