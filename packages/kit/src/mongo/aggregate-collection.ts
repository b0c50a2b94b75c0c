import type { Model, mongo } from 'mongoose';
import type { EventEnvelope } from '@messngr/contracts';
import { ConflictError } from '../errors/errors';
import type { OutboxRegistry } from '../events/outbox-registry';
import type { OutboxSource, PendingOutbox } from '../events/outbox-source';
import {
  outboxFields,
  withSequence,
  type AggregateChanges,
  type AggregateFields,
  type Decision,
  type NewAggregate,
} from './aggregate';
import { ConditionalWriter, STALE_CLAIM_MS, type VersionGuard } from './conditional-write';
import { nativeCollection } from './native-collection';

export interface AggregateCollectionOptions {
  /** The service's outboxes: the store's is registered there, and writes with events nudge the relay. */
  outboxes?: OutboxRegistry;
}

/**
 * Losing a race is retried with growing, jittered pauses for a little longer than a crashed
 * writer's claim can block (STALE_CLAIM_MS), so a user's write waits that out instead of failing.
 */
const RETRY_BUDGET_MS = STALE_CLAIM_MS + 1_000;

/**
 * The read, decide, guarded-write cycle and the outbox of one collection of aggregates.
 * Used inside the stores; its driver collection never leaves it.
 */
export class AggregateCollection<T extends AggregateFields> {
  readonly #collection: mongo.Collection<T>;
  readonly #writer: ConditionalWriter<T>;
  readonly #afterWrite: () => void;
  readonly outbox: OutboxSource;

  constructor(model: Model<T>, options: AggregateCollectionOptions = {}) {
    this.#collection = nativeCollection(model);
    this.#writer = new ConditionalWriter(model.db, this.#collection);
    const outboxes = options.outboxes;
    this.#afterWrite = outboxes ? () => outboxes.nudge() : () => undefined;
    this.outbox = this.outboxSource();
    outboxes?.register(this.outbox);
  }

  findOne(filter: mongo.Filter<T>): Promise<T | null> {
    return this.#collection.findOne<T>(filter);
  }

  find(filter: mongo.Filter<T>, options: { sort?: mongo.Sort; limit: number }): Promise<T[]> {
    return this.#collection.find<T>(filter, { sort: options.sort ?? { _id: 1 }, limit: options.limit }).toArray();
  }

  /**
   * Resolves true once none of `eventIds` is in the aggregate's outbox any more (the relay
   * removes only what the broker acknowledged), false after `timeoutMs`. For answers that
   * must not come before their event is on the broker, such as a revocation the gateway
   * has to know of by the caller's next request.
   */
  async whenPublished(filter: mongo.Filter<T>, eventIds: readonly string[], timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const ids = new Set(eventIds);
    for (let pause = 5; ; pause = Math.min(pause * 2, 50)) {
      const document = await this.#collection.findOne<Pick<T, 'pendingEvents'>>(filter, { projection: { pendingEvents: 1 } });
      if (!document?.pendingEvents.some((event) => ids.has(event.id))) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  /** Inserts a new aggregate at version 1 with its first events; a duplicate key is thrown as the driver reports it. */
  /** Deletes the documents whose `field` is before `before` and that have nothing left to publish. */
  async deleteSettledBefore(field: keyof T & string, before: Date): Promise<number> {
    const filter = { [field]: { $lt: before }, outboxPending: false } as mongo.Filter<T>;
    return (await this.#collection.deleteMany(filter)).deletedCount;
  }

  async insert(document: NewAggregate<T>, events: EventEnvelope[]): Promise<T> {
    const now = new Date();
    const stored = { ...document, version: 1, ...outboxFields(withSequence(events, 1), null, now) };
    await this.#collection.insertOne(stored as mongo.OptionalUnlessRequiredId<T>);
    if (events.length > 0) this.#afterWrite();
    return stored as T;
  }

  /**
   * Read (with `filter`, which names the id and the scope), decide, write guarded by id,
   * version and `guard`; on a lost race read again. `decide` throws to refuse and returns
   * undefined for "no change". Undefined when nothing matches the filter.
   */
  async change(
    filter: mongo.Filter<T>,
    guard: { tenantId?: string },
    decide: (current: T) => Decision<T>,
  ): Promise<T | undefined> {
    const deadline = Date.now() + RETRY_BUDGET_MS;
    for (let attempt = 0; ; attempt += 1) {
      if (attempt > 0) {
        if (Date.now() > deadline) {
          throw new ConflictError('CONCURRENT_MODIFICATION', 'The record is being changed by someone else; try again.');
        }
        await pause(attempt);
      }
      const current = await this.#collection.findOne<T>(filter);
      if (!current) return undefined;
      const decision = decide(current);
      if (!decision) return current;
      const version = current.version + 1;
      const pendingEvents = [...current.pendingEvents, ...withSequence(decision.events, version)];
      const outbox = outboxFields(pendingEvents, current.outboxSince, new Date());
      const next = { ...decision.changes, ...outbox, version };
      const update: mongo.UpdateFilter<T> = { $set: next as Partial<T> };
      if (await this.#writer.write({ _id: current._id, version: current.version, ...guard }, update)) {
        if (decision.events.length > 0) this.#afterWrite();
        return { ...current, ...next };
      }
    }
  }

  /** See ConditionalWriter.writeAtVersion: a guarded write without a read, returning the document. */
  changeAtVersion(
    guard: VersionGuard,
    conditions: mongo.Filter<T>,
    changes: AggregateChanges<T> | Record<`${string}.${string}`, unknown>,
  ): Promise<T | null> {
    // Dotted paths set fields of sub-objects (never array elements: DESIGN §5).
    return this.#writer.writeAtVersion(guard, conditions, { $set: changes as Partial<T> });
  }

  private outboxSource(): OutboxSource {
    const collection = this.#collection;
    const writer = this.#writer;
    const pendingFilter = { outboxPending: true } as mongo.Filter<T>;
    return {
      name: collection.collectionName,
      async pending(limit, skip) {
        const filter = (skip.size > 0 ? { outboxPending: true, _id: { $nin: [...skip] } } : pendingFilter) as mongo.Filter<T>;
        const documents = await collection
          .find<T>(filter, { projection: { _id: 1, version: 1, pendingEvents: 1, outboxSince: 1 } })
          .sort({ outboxSince: 1, _id: 1 })
          .limit(limit)
          .toArray();
        return documents.map((document) => ({
          id: document._id,
          version: document.version,
          events: document.pendingEvents,
          since: document.outboxSince ?? null,
        }));
      },
      async removePublished(published: PendingOutbox) {
        const publishedIds = new Set(published.events.map((event) => event.id));
        let current: Pick<T, 'version' | 'pendingEvents' | 'outboxSince'> | null = {
          version: published.version,
          pendingEvents: published.events,
          outboxSince: published.since,
        };
        for (let attempt = 0; current && attempt < 5; attempt += 1) {
          if (attempt > 0) await pause(attempt);
          const remaining = current.pendingEvents.filter((event) => !publishedIds.has(event.id));
          const next = { ...outboxFields(remaining, current.outboxSince, new Date()), version: current.version + 1 };
          if (await writer.write({ _id: published.id, version: current.version }, { $set: next as Partial<T> })) return true;
          current = await collection.findOne<T>({ _id: published.id } as mongo.Filter<T>, {
            projection: { version: 1, pendingEvents: 1, outboxSince: 1 },
          });
        }
        return current === null;
      },
      async oldestPendingSince() {
        const [oldest] = await collection
          .find<T>(pendingFilter, { projection: { outboxSince: 1 } })
          .sort({ outboxSince: 1 })
          .limit(1)
          .toArray();
        return oldest ? (oldest.outboxSince ?? new Date(0)) : null;
      },
    };
  }
}

function pause(attempt: number): Promise<void> {
  const ceiling = Math.min(250, 5 * 2 ** Math.min(attempt, 6));
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}
