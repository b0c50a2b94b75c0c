import { Kafka, logLevel, type Producer } from 'kafkajs';
import { AccountUpdated, producerTopic } from '@messngr/contracts';
import { asTenantId } from '@messngr/kit/core';
import { createEvent } from '@messngr/kit/events';
import { auditApi, type AuditApi, type FeedEntryView } from './harness/audit-api';
import { eventually } from './harness/eventually';
import { signInApi, type SignedIn } from './harness/sign-in';
import { useStack } from './harness/stack';
import { ok, personIn, tenantApi, unique, type Person } from './harness/tenant-api';

const DAY = 24 * 3600_000;

/**
 * Audit entries live as long as their tenant's policy says: the retention sweep deletes what is
 * older (published to the real broker with old times, recorded by the real consumer) and keeps
 * what is newer. That no API changes an entry is audit-immutability.e2e.ts.
 */
describe('audit retention, on the real broker and store', () => {
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

  it("deletes entries older than the tenant's retention, in the sweep, and keeps the newer ones", async () => {
    const now = Date.now();
    const old = [40, 41, 42, 43].map((days) => profileChanged(new Date(now - days * DAY), `Old ${days}`));
    const recent = profileChanged(new Date(now - 10 * DAY), 'Recent');
    await publish(...old, recent);
    const seeded = [...old, recent].map((event) => event.id);
    await slowly(async () => {
      const ids = (await kariLog()).map((entry) => entry.id);
      if (!seeded.every((id) => ids.includes(id))) throw new Error('not recorded yet');
    });
    const fresh = (await kariLog()).filter((entry) => !seeded.includes(entry.id)).map((entry) => entry.id);
    expect(fresh.length).toBeGreaterThanOrEqual(2);

    // The starting retention (365 days) keeps them all. (The sweep of every tenant the shared
    // broker ever carried is the worker's; here the sweep of this tenant, the same code.)
    const { deps } = env.stack.services.audit;
    expect(await deps.sweepTenant(tenantId)).toBe(0);
    expect((await kariLog()).map((entry) => entry.id)).toEqual(expect.arrayContaining([...seeded, ...fresh]));

    const tenants = tenantApi({ stack: env.stack, adminToken: env.adminToken });
    ok(await tenants.updatePolicy({ tenantId, auditRetentionDays: 30 }, admin.token));
    const policy = await env.stack.graphql<{ tenant: { settings: { policy: { auditRetentionDays: number } } } }>(
      `query ($id: ID!) { tenant(id: $id) { settings { policy { auditRetentionDays } } } }`,
      { id: tenantId },
      admin.token,
    );
    expect(ok(policy).tenant.settings.policy.auditRetentionDays).toBe(30);

    let deleted = 0;
    const left = await slowly(async () => {
      if ((await deps.retention.findById(tenantId))?.auditRetentionDays !== 30)
        throw new Error('the new retention has not arrived yet');
      deleted += await deps.sweepTenant(tenantId);
      const ids = (await kariLog()).map((entry) => entry.id);
      if (old.some((event) => ids.includes(event.id))) throw new Error('the sweep has not seen the new retention yet');
      return ids;
    });
    expect(deleted).toBe(old.length);
    expect(left).toEqual(expect.arrayContaining([recent.id, ...fresh]));
  }, 240_000);
});
