import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { AccountUpdated, producerTopic } from '@messngr/contracts';
import { asTenantId } from '@messngr/kit/core';
import { createEvent } from '@messngr/kit/events';
import { auditApi, type AuditApi, type FeedEntryView } from './harness/audit-api';
import { eventually } from './harness/eventually';
import { signInApi, type SignedIn } from './harness/sign-in';
import { useStack } from './harness/stack';
import { ok, personIn, tenantApi, unique, type Person } from './harness/tenant-api';

const REPO_ROOT = join(__dirname, '..', '..');

/**
 * Audit entries are never changed: no API changes an entry, and a redelivered event id (on the
 * real broker, recorded by the real consumer) leaves it as it was.
 */
describe('audit entries are immutable, on the real broker and store', () => {
  const env = useStack();
  const brokers = process.env['KAFKA_BROKERS']!.split(',');
  let producer: Producer;
  let audit: AuditApi;
  let tenantId: string;
  let admin: Person;
  let kari: SignedIn;

  /** An identity.account.updated event about Kari at `time`, as the identity subgraph would publish it (without a sequence: no replica takes it). */
  function profileChanged(time: Date, displayName: string) {
    const account = {
      id: kari.account.id,
      tenantId,
      displayName,
      handle: 'kari',
      preferredLocale: null,
      timeZone: null,
      status: 'ACTIVE' as const,
    };
    return createEvent(AccountUpdated, {
      subject: kari.account.id,
      tenantId: asTenantId(tenantId),
      accountId: kari.account.id,
      actor: { id: kari.account.id, type: 'account' },
      time,
      data: { account, changes: { displayName: { before: 'Kari', after: displayName } } },
    });
  }

  const publish = (...events: { id: string }[]) =>
    producer.send({
      topic: producerTopic('identity'),
      messages: events.map((event) => ({ key: kari.account.id, value: JSON.stringify(event) })),
    });

  const kariLog = async (): Promise<FeedEntryView[]> =>
    ok(
      await audit.auditLog(admin.token, { tenant: tenantId, filter: { account: kari.account.id }, first: 100 }),
    ).auditLog.edges.map((edge) => edge.node);

  /** The consumer shares two cores with other stacks: give it time. */
  const slowly = <T>(probe: () => Promise<T>) => eventually(probe, { timeoutMs: 90_000, intervalMs: 500 });

  beforeAll(async () => {
    audit = auditApi(env.stack);
    const tenants = tenantApi({ stack: env.stack, adminToken: env.adminToken });
    tenantId = ok(await tenants.createTenant({ name: unique('Retention') })).createTenant.tenant.id;
    admin = await personIn(env, tenantId, ['tenant_admin']);
    const address = `kari.${Date.now()}@example.com`;
    kari = await eventually(() => signInApi(env.stack).signIn(tenantId, { email: address }), {
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    producer = new Kafka({ clientId: 'e2e-audit-retention', brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
  });

  it('offers no way to change an entry: no mutation on the audit subgraph, crafted ones refused', async () => {
    const sdl = readFileSync(join(REPO_ROOT, 'services', 'audit', 'schema.graphql'), 'utf8');
    expect(sdl).not.toMatch(/type Mutation/);
    const supergraph = readFileSync(join(REPO_ROOT, 'schema', 'supergraph.graphql'), 'utf8');
    const mutation = /\ntype Mutation[^{]*\{([\s\S]*?)\n\}/.exec(supergraph)?.[1] ?? '';
    expect(mutation).not.toMatch(/graph: AUDIT/);
    // An entry to aim at: the sign-in's, once the consumer has recorded it.
    const entry = await slowly(async () => {
      const [first] = await kariLog();
      if (!first) throw new Error('nothing recorded yet');
      return first;
    });
    for (const crafted of [
      `mutation { updateAuditEntry(input: { id: "${entry.id}", summary: "nothing happened" }) { auditEntry { id } } }`,
      `mutation { deleteAuditEntry(id: "${entry.id}") }`,
      `mutation { recordAuditEntry(input: { type: "identity.account.created" }) { id } }`,
    ]) {
      const refused = await env.stack.graphql(crafted, {}, env.adminToken);
      expect({ status: refused.status < 500, code: refused.errors?.[0]?.extensions?.code }).toEqual({
        status: true,
        code: 'GRAPHQL_VALIDATION_FAILED',
      });
    }
    const { relativeTime: _then, ...unchanged } = entry;
    const { relativeTime: _now, ...now } = (await kariLog())[0]!;
    expect(now).toEqual(unchanged);
  }, 120_000);

  it('leaves an entry as it was when its event id comes again with other data', async () => {
    const original = profileChanged(new Date(), 'Original');
    await publish(original);
    const recorded = await slowly(async () => {
      const found = (await kariLog()).find((entry) => entry.id === original.id);
      if (!found) throw new Error('not recorded yet');
      return found;
    });
    expect(recorded.changes).toEqual([{ field: 'displayName', before: 'Kari', after: 'Original' }]);
    const tampered = { ...profileChanged(new Date(), 'Tampered'), id: original.id };
    const marker = profileChanged(new Date(), 'Marker');
    // Same key, so the same partition: once the marker is recorded, the tampered copy was consumed before it.
    await publish(tampered, marker);
    await slowly(async () => {
      if (!(await kariLog()).some((entry) => entry.id === marker.id)) throw new Error('not recorded yet');
    });
    const after = (await kariLog()).find((entry) => entry.id === original.id);
    const { relativeTime: _then, ...asRecorded } = recorded;
    const { relativeTime: _now, ...asNow } = after!;
    expect(asNow).toEqual(asRecorded);
  }, 120_000);
});
