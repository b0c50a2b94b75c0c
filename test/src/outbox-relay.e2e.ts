import { randomBytes } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import {
  aggregateSchemaFields,
  connectMongo,
  createEvent,
  createKafka,
  createLogger,
  insertAggregate,
  isDuplicateKeyError,
  KafkaEventPublisher,
  OutboxRelay,
  TenantScopedCollection,
  Topic,
  updateAggregate,
  type AggregateFields,
  type EventEnvelope,
  type EventPublisher,
} from '@messngr/kit';
import { TopicReader } from './harness/topic-reader';

interface Thing extends AggregateFields {
  tenantId: string;
  name: string;
}

/** The kit's persistence rules on the real MongoDB-compatible server (FerretDB in CI). */
describe('aggregates, outbox relay and tenant scope on the real database', () => {
  let connection: Connection;
  let things: Model<Thing>;
  const logger = createLogger({ service: 'test', level: 'silent' });

  beforeAll(async () => {
    connection = await connectMongo(process.env['MONGODB_URI']!, `e2e_${randomBytes(4).toString('hex')}_kit`);
    things = connection.model<Thing>(
      'Thing',
      new Schema<Thing>(
        { ...aggregateSchemaFields, tenantId: String, name: String },
        { collection: 'things', versionKey: false },
      ),
    );
    await things.createCollection();
  });

  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  const event = (subject: string, n: number): EventEnvelope<unknown> =>
    createEvent({ service: 'tenant', type: 'tenant.tenant.updated', subject, tenantId: 'ten_a', time: new Date(), data: { n } });

  it('a version-guarded write loses a race instead of overwriting', async () => {
    const stored = await insertAggregate(
      things,
      { _id: `t_${randomBytes(4).toString('hex')}`, tenantId: 'ten_a', name: 'one' },
      [],
    );
    expect(await updateAggregate(things, stored, { name: 'two' }, [])).toBeDefined();
    expect(await updateAggregate(things, stored, { name: 'stale' }, [])).toBeUndefined();
    expect((await things.findById(stored._id).lean())?.name).toBe('two');
  });

  it('lets exactly one of several concurrent writers of the same version win, every time', async () => {
    for (let round = 0; round < 20; round += 1) {
      const stored = await insertAggregate(
        things,
        { _id: `t_${randomBytes(4).toString('hex')}`, tenantId: 'ten_a', name: 'start' },
        [],
      );
      const results = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((name) => updateAggregate(things, stored, { name }, [])));
      const winners = results.filter((result) => result !== undefined);
      expect(winners).toHaveLength(1);
      const after = await things.findById(stored._id).lean();
      expect(after).toMatchObject({ name: winners[0]!.name, version: 2 });
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
    await insertAggregate(uniqueThings, { _id: 'u1', tenantId: 'ten_a', name: 'taken' }, []);
    const second = await insertAggregate(uniqueThings, { _id: 'u2', tenantId: 'ten_a', name: 'free' }, []);
    const refused = await updateAggregate(uniqueThings, second, { name: 'taken' }, []).catch((error: unknown) => error);
    expect(isDuplicateKeyError(refused)).toBe(true);
    expect(await updateAggregate(uniqueThings, second, { name: 'renamed' }, [])).toMatchObject({ name: 'renamed', version: 2 });
  });

  it('publishes pending events, removes exactly those, and keeps events written meanwhile', async () => {
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
    const id = `t_${randomBytes(4).toString('hex')}`;
    const [e1, e2, e3] = [event(id, 1), event(id, 2), event(id, 3)];
    const stored = await insertAggregate(things, { _id: id, tenantId: 'ten_a', name: 'x' }, [e1!, e2!]);
    const relay = new OutboxRelay({ sources: [{ model: things as never, topic: 'unused' }], publisher: slowPublisher, logger });

    const flushing = relay.flush();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // A user write lands while the relay is publishing e1 and e2.
    expect(await updateAggregate(things, stored, { name: 'y' }, [e3!])).toBeDefined();
    release();
    await flushing;
    await relay.flush();

    expect(published.sort()).toEqual([e1!.id, e2!.id, e3!.id].sort());
    const after = await things.findById(id).lean();
    expect(after).toMatchObject({ name: 'y', pendingEvents: [], outboxPending: false });
  });

  it('delivers outbox events to the real broker keyed by aggregate', async () => {
    const kafka = createKafka({ brokers: process.env['KAFKA_BROKERS']!.split(','), clientId: 'e2e-outbox', logger });
    const publisher = new KafkaEventPublisher(kafka);
    const reader = new TopicReader([Topic.TENANT_EVENTS]);
    await reader.start();
    try {
      const id = `t_${randomBytes(4).toString('hex')}`;
      const pending = event(id, 1);
      await insertAggregate(things, { _id: id, tenantId: 'ten_a', name: 'x' }, [pending]);
      const relay = new OutboxRelay({ sources: [{ model: things as never, topic: Topic.TENANT_EVENTS }], publisher, logger });
      await relay.flush();
      const message = await reader.waitFor((m) => m.key === id);
      expect(JSON.parse(message.value)).toMatchObject({ id: pending.id, subject: id });
    } finally {
      await reader.stop();
      await publisher.disconnect();
    }
  });

  it('can not fetch on another tenant', async () => {
    const scoped = new TenantScopedCollection(things);
    const mine = await insertAggregate(
      things,
      { _id: `t_${randomBytes(4).toString('hex')}`, tenantId: 'ten_a', name: 'mine' },
      [],
    );
    expect(await scoped.findById('ten_a', mine._id)).toMatchObject({ name: 'mine' });
    expect(await scoped.findById('ten_b', mine._id)).toBeNull();
    expect(await scoped.findOne('ten_b', { name: 'mine' })).toBeNull();
    expect((await scoped.page('ten_b', {}, { first: 100 })).map((t) => t._id)).not.toContain(mine._id);
  });
});
