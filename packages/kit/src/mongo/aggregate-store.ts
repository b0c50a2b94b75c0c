import type { Model, mongo } from 'mongoose';
import type { EventEnvelope } from '@messngr/contracts';
import type { OutboxSource } from '../events/outbox-source';
import type { AggregateFields, Decision, NewAggregate } from './aggregate';
import { AggregateCollection, type AggregateCollectionOptions } from './aggregate-collection';

/**
 * Aggregates that are not inside a tenant: the tenants themselves (their id is the scope)
 * and platform-owned records. The mongoose model and the driver collection stay inside.
 */
export class AggregateStore<T extends AggregateFields> {
  readonly #aggregates: AggregateCollection<T>;

  constructor(model: Model<T>, options: AggregateCollectionOptions = {}) {
    this.#aggregates = new AggregateCollection(model, options);
  }

  get outbox(): OutboxSource {
    return this.#aggregates.outbox;
  }

  findById(id: T['_id']): Promise<T | null> {
    return this.#aggregates.findOne({ _id: id } as mongo.Filter<T>);
  }

  findOne(filter: mongo.Filter<T>): Promise<T | null> {
    return this.#aggregates.findOne(filter);
  }

  find(filter: mongo.Filter<T>, options: { sort?: mongo.Sort; limit: number }): Promise<T[]> {
    return this.#aggregates.find(filter, options);
  }

  insert(document: NewAggregate<T>, events: EventEnvelope[]): Promise<T> {
    return this.#aggregates.insert(document, events);
  }

  /** Sweeps: the documents whose `field` is before `before` and whose events are all published. */
  deleteSettledBefore(field: keyof T & string, before: Date): Promise<number> {
    return this.#aggregates.deleteSettledBefore(field, before);
  }

  /** See AggregateCollection.whenPublished. */
  whenPublished(id: T['_id'], eventIds: readonly string[], timeoutMs: number): Promise<boolean> {
    return this.#aggregates.whenPublished({ _id: id } as mongo.Filter<T>, eventIds, timeoutMs);
  }

  /** Read, decide, version-guarded write; `filter` may narrow the read (e.g. not removed). */
  change(id: T['_id'], decide: (current: T) => Decision<T>, filter: mongo.Filter<T> = {}): Promise<T | undefined> {
    return this.#aggregates.change({ ...filter, _id: id } as mongo.Filter<T>, {}, decide);
  }
}
