import { randomBytes } from 'node:crypto';
import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import { z } from 'zod';
import { defineEvent, producerTopic, type EventEnvelope } from '@messngr/contracts';
import { asTenantId, type TenantId } from '@messngr/kit/core';
import { createEvent, createKafka, KafkaEventPublisher, OutboxRelay, type EventPublisher } from '@messngr/kit/events';
import { createLogger } from '@messngr/kit/logging';
import { createMetrics } from '@messngr/kit/metrics';
import {
  addOutboxIndex,
  aggregateSchemaFields,
  AggregateStore,
  ConditionalWriter,
  detectWriteClaims,
  isDuplicateKeyError,
  ReplicaStore,
  STALE_CLAIM_MS,
  TenantScopedStore,
  type AggregateFields,
} from '@messngr/kit/mongo';
import { TopicReader } from './harness/topic-reader';

interface Thing extends AggregateFields {
  tenantId: TenantId;
  name: string;
}

interface ThingCopy {
  _id: string;
  sequence: number;
  name: string;
}

/** A test-only contract: the relay publishes whatever the outbox holds. */
const ThingRenamed = defineEvent({
  type: 'tenant.thing.renamed',
  producer: 'tenant',
  version: 1,
  key: 'subject',
  summary: 'test',
  data: z.object({ n: z.number(), padding: z.string().optional() }),
  consumers: [],
});

const TEN_A = asTenantId('ten_a');
const TEN_B = asTenantId('ten_b');

/** The kit's persistence rules on the real MongoDB-compatible server (FerretDB in CI). */
describe('aggregates, outbox relay and tenant scope on the real database', () => {
  let connection: Connection;
  let things: Model<Thing>;
  const logger = createLogger({ service: 'test', level: 'silent' });
  const id = (prefix = 't') => `${prefix}_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    // Command monitoring lets a test count the round trips a component makes.
    connection = mongoose.createConnection(process.env['MONGODB_URI']!, {
      dbName: `e2e_${randomBytes(4).toString('hex')}_kit`,
      monitorCommands: true,
    });
    await connection.asPromise();
    await detectWriteClaims(connection);
    const schema = new Schema<Thing>(
      { ...aggregateSchemaFields, tenantId: String, name: String },
      { collection: 'things', versionKey: false },
    );
    addOutboxIndex(schema);
    things = connection.model<Thing>('Thing', schema);
    await things.createCollection();
    await things.createIndexes();
  });

  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  const event = (subject: string, n: number, padding?: string): EventEnvelope =>
    createEvent(ThingRenamed, { subject, tenantId: TEN_A, time: new Date(), data: { n, ...(padding ? { padding } : {}) } });
  const newThing = (name: string, tenantId: TenantId = TEN_A) => ({ _id: id(), tenantId, name });

  it('a version-guarded write loses a race instead of overwriting', async () => {
    const store = new AggregateStore(things);
    const writer = new ConditionalWriter(connection, things.db.db!.collection<Thing>('things'));
    const stored = await store.insert(newThing('one'), []);
    expect(await writer.write({ _id: stored._id, version: 1 }, { $set: { name: 'two', version: 2 } })).toBe(true);
    expect(await writer.write({ _id: stored._id, version: 1 }, { $set: { name: 'stale', version: 2 } })).toBe(false);
    expect((await store.findById(stored._id))?.name).toBe('two');
  });

  it('lets exactly one of several concurrent writers of the same version win, every time', async () => {
    const store = new AggregateStore(things);
    const writer = new ConditionalWriter(connection, things.db.db!.collection<Thing>('things'));
    for (let round = 0; round < 20; round += 1) {
      const stored = await store.insert(newThing('start'), []);
      const names = ['a', 'b', 'c', 'd', 'e'];
      const results = await Promise.all(
        names.map((name) => writer.write({ _id: stored._id, version: 1 }, { $set: { name, version: 2 } })),
      );
      const winners = names.filter((_name, index) => results[index]);
      expect(winners).toHaveLength(1);
      expect(await store.findById(stored._id)).toMatchObject({ name: winners[0], version: 2 });
    }
  });

  it('leaves the aggregate writable after a write a unique index refused', async () => {
    const schema = new Schema<Thing>(
      { ...aggregateSchemaFields, tenantId: String, name: String },
      { collection: 'unique_things', versionKey: false },
    );
    schema.index({ name: 1 }, { unique: true });
    const uniqueThings = connection.model<Thing>('UniqueThing', schema);
    await uniqueThings.createCollection();
    await uniqueThings.createIndexes();
    const store = new AggregateStore(uniqueThings);
    await store.insert({ _id: 'u1', tenantId: TEN_A, name: 'taken' }, []);
    await store.insert({ _id: 'u2', tenantId: TEN_A, name: 'free' }, []);
    const refused = await store.change('u2', () => ({ changes: { name: 'taken' }, events: [] })).catch((error: unknown) => error);
    expect(isDuplicateKeyError(refused)).toBe(true);
    expect(await store.change('u2', () => ({ changes: { name: 'renamed' }, events: [] }))).toMatchObject({
      name: 'renamed',
      version: 2,
    });
  });

  it('publishes pending events, removes exactly those, and keeps events written meanwhile', async () => {
    const store = new AggregateStore(things);
    const published: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let firstCall = true;
    const slowPublisher: EventPublisher = {
      async publish(_topic, events) {
        if (firstCall) {
          firstCall = false;
          await gate;
        }
        published.push(...events.map((e) => e.id));
      },
    };
    const thingId = id();
    const [e1, e2, e3] = [event(thingId, 1), event(thingId, 2), event(thingId, 3)];
    await store.insert({ _id: thingId, tenantId: TEN_A, name: 'x' }, [e1!, e2!]);
    const relay = new OutboxRelay({ sources: [{ source: store.outbox, topic: 'unused' }], publisher: slowPublisher, logger });

    const flushing = relay.flush();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // A user write lands while the relay is publishing e1 and e2.
    expect(await store.change(thingId, () => ({ changes: { name: 'y' }, events: [e3!] }))).toBeDefined();
    release();
    await flushing;
    await relay.flush();

    expect(published.sort()).toEqual([e1!.id, e2!.id, e3!.id].sort());
    expect(await store.findById(thingId)).toMatchObject({
      name: 'y',
      pendingEvents: [],
      outboxPending: false,
      outboxSince: null,
    });
  });

  it('stamps each event with its place in the aggregate history', async () => {
    const store = new AggregateStore(things);
    const thingId = id();
    await store.insert({ _id: thingId, tenantId: TEN_A, name: 'x' }, [event(thingId, 1), event(thingId, 2)]);
    const changed = await store.change(thingId, () => ({ changes: { name: 'y' }, events: [event(thingId, 3)] }));
    expect(changed?.pendingEvents.map((e) => e.sequence)).toEqual(['1000', '1001', '2000']);
  });

  it('delivers outbox events to the real broker keyed by aggregate', async () => {
    const kafka = createKafka({ brokers: process.env['KAFKA_BROKERS']!.split(','), clientId: 'e2e-outbox', logger });
    const publisher = new KafkaEventPublisher(kafka);
    const reader = new TopicReader([producerTopic('tenant')]);
    await reader.start();
    try {
      const store = new AggregateStore(things);
      const thingId = id();
      const pending = event(thingId, 1);
      await store.insert({ _id: thingId, tenantId: TEN_A, name: 'x' }, [pending]);
      const relay = new OutboxRelay({ sources: [{ source: store.outbox, topic: producerTopic('tenant') }], publisher, logger });
      await relay.flush();
      const message = await reader.waitFor((m) => m.key === thingId);
      expect(JSON.parse(message.value)).toMatchObject({ id: pending.id, subject: thingId, sequence: '1000' });
    } finally {
      await reader.stop();
      await publisher.disconnect();
    }
  });

  it('does not let one document that can never be published hold back the others', async () => {
    const kafka = createKafka({ brokers: process.env['KAFKA_BROKERS']!.split(','), clientId: 'e2e-poison', logger });
    const publisher = new KafkaEventPublisher(kafka);
    const reader = new TopicReader([producerTopic('tenant')]);
    await reader.start();
    const schema = new Schema<Thing>(
      { ...aggregateSchemaFields, tenantId: String, name: String },
      { collection: 'poison_things', versionKey: false },
    );
    addOutboxIndex(schema);
    const poisonThings = connection.model<Thing>('PoisonThing', schema);
    await poisonThings.createCollection();
    const store = new AggregateStore(poisonThings);
    const metrics = createMetrics('test');
    const relay = new OutboxRelay({
      sources: [{ source: store.outbox, topic: producerTopic('tenant') }],
      publisher,
      logger,
      metrics,
      backoffMs: { first: 60_000, max: 60_000 },
    });
    try {
      // The broker refuses a message over its limit (1 MiB) every time: the oldest document is poison.
      const poison = id('poison');
      await store.insert({ _id: poison, tenantId: TEN_A, name: 'poison' }, [event(poison, 1, 'x'.repeat(2 * 1024 * 1024))]);
      const healthy = [id('healthy'), id('healthy')];
      for (const thingId of healthy) await store.insert({ _id: thingId, tenantId: TEN_A, name: 'fine' }, [event(thingId, 1)]);

      await relay.flush();

      for (const thingId of healthy) {
        await reader.waitFor((m) => m.key === thingId);
        expect(await store.findById(thingId)).toMatchObject({ outboxPending: false });
      }
      expect(await store.findById(poison)).toMatchObject({ outboxPending: true });
      // The poison document now waits out its back-off: a later write elsewhere is relayed at once.
      const later = id('later');
      await store.insert({ _id: later, tenantId: TEN_A, name: 'later' }, [event(later, 1)]);
      await relay.flush();
      await reader.waitFor((m) => m.key === later);
      expect(reader.messages.some((m) => m.key === poison)).toBe(false);
      // Operators see how long the oldest pending event has waited.
      const exposition = await metrics.registry.metrics();
      expect(exposition).toMatch(/outbox_oldest_pending_age_seconds\{collection="poison_things",service="test"\} \d/);
      expect(exposition).toMatch(/outbox_publish_failures_total\{collection="poison_things",service="test"\} 1\b/);
    } finally {
      await relay.stop();
      await reader.stop();
      await publisher.disconnect();
    }
  });

  it('keeps a copy at its newest state when an older event is delivered again late', async () => {
    const model = connection.model<ThingCopy>(
      'ThingCopy',
      new Schema<ThingCopy>({ _id: String, sequence: Number, name: String }, { collection: 'thing_copies', versionKey: false }),
    );
    await model.createCollection();
    const copies = new ReplicaStore(model);
    const copyId = id('copy');
    expect(await copies.applyIfNewer(copyId, 1000, { name: 'first' })).toBe(true);
    expect(await copies.applyIfNewer(copyId, 2000, { name: 'second' })).toBe(true);
    // The redelivery of the first event, after the second was applied:
    expect(await copies.applyIfNewer(copyId, 1000, { name: 'first' })).toBe(false);
    expect(await copies.applyIfNewer(copyId, 2000, { name: 'second' })).toBe(false);
    expect(await copies.findById(copyId)).toMatchObject({ name: 'second', sequence: 2000 });
  });

  describe('tenant scope', () => {
    it('can not fetch on another tenant', async () => {
      const scoped = new TenantScopedStore(things);
      const mine = await scoped.insert(newThing('mine'), []);
      expect(await scoped.findById(TEN_A, mine._id)).toMatchObject({ name: 'mine' });
      expect(await scoped.findById(TEN_B, mine._id)).toBeNull();
      expect(await scoped.findOne(TEN_B, { name: 'mine' })).toBeNull();
      expect((await scoped.page(TEN_B, {}, { first: 100 })).map((t) => t._id)).not.toContain(mine._id);
    });

    it('can not change another tenant’s aggregate by its id', async () => {
      const scoped = new TenantScopedStore(things);
      const mine = await scoped.insert(newThing('mine'), []);
      const decide = jest.fn(() => ({ changes: { name: 'taken over' }, events: [event(mine._id, 1)] }));
      expect(await scoped.change(TEN_B, mine._id, decide)).toBeUndefined();
      expect(decide).not.toHaveBeenCalled();
      expect(await scoped.findById(TEN_A, mine._id)).toMatchObject({ name: 'mine', version: 1, pendingEvents: [] });
    });

    it('keeps the model out of reach of the store’s users', () => {
      const scoped = new TenantScopedStore(things);
      // @ts-expect-error the model is private to the store, not a field of it
      expect(scoped.model).toBeUndefined();
      expect(Object.values(scoped)).toEqual([]);
    });
  });

  // Only FerretDB needs write claims (MongoDB applies a guarded update atomically): set by the global setup.
  const needsWriteClaims = process.env['E2E_DATABASE_NEEDS_WRITE_CLAIMS'] === '1';
  (needsWriteClaims ? describe : describe.skip)('a crashed writer’s claim (FerretDB only: MongoDB needs no claims)', () => {
    /** What a writer that crashed between claiming version 2 and writing it leaves behind. */
    async function abandonedClaim(thingId: string, ageMs: number): Promise<void> {
      await connection
        .db!.collection<{ _id: string; claimedAt: Date }>('aggregate_write_claims')
        .insertOne({ _id: `things/${thingId}/2`, claimedAt: new Date(Date.now() - ageMs) });
    }

    it('is taken over once stale, so a user write succeeds instead of answering CONCURRENT_MODIFICATION', async () => {
      const store = new AggregateStore(things);
      const stored = await store.insert(newThing('start'), []);
      await abandonedClaim(stored._id, STALE_CLAIM_MS + 500);
      expect(await store.change(stored._id, () => ({ changes: { name: 'after crash' }, events: [] }))).toMatchObject({
        name: 'after crash',
        version: 2,
      });
    });

    it('is waited out by a user write, which succeeds once the claim goes stale', async () => {
      const store = new AggregateStore(things);
      const stored = await store.insert(newThing('start'), []);
      await abandonedClaim(stored._id, 1_000);
      expect(await store.change(stored._id, () => ({ changes: { name: 'waited' }, events: [] }))).toMatchObject({ version: 2 });
    });

    it('does not make the relay spin: it sets the document aside after a few spaced attempts', async () => {
      const store = new AggregateStore(things);
      const thingId = id();
      await store.insert({ _id: thingId, tenantId: TEN_A, name: 'x' }, [event(thingId, 1)]);
      await abandonedClaim(thingId, 0);
      const publisher: EventPublisher = { publish: async () => undefined };
      const relay = new OutboxRelay({ sources: [{ source: store.outbox, topic: 'unused' }], publisher, logger });
      let commands = 0;
      const count = () => (commands += 1);
      connection.getClient().on('commandStarted', count);
      try {
        await relay.flush();
        await relay.flush();
      } finally {
        connection.getClient().off('commandStarted', count);
      }
      // A bounded number of round trips (the relay once retried back to back for 30 s, three a try).
      expect(commands).toBeLessThan(40);
      expect(await store.findById(thingId)).toMatchObject({ outboxPending: true });
    });
  });
});
