import type { Model, mongo } from 'mongoose';
import { isDuplicateKeyError } from './duplicate-key';
import { nativeCollection } from './native-collection';

/** A copy of another service's aggregate, with the `sequence` of the last event applied to it. */
export interface ReplicaFields {
  _id: string;
  sequence: number;
}

/**
 * Copies of other services' aggregates kept from their events. Delivery is at least once
 * and a redelivery can come late, after newer events: an event is applied only when its
 * sequence is newer than the copy's.
 */
export class ReplicaStore<T extends ReplicaFields> {
  readonly #collection: mongo.Collection<T>;

  constructor(model: Model<T>) {
    this.#collection = nativeCollection(model);
  }

  findById(id: T['_id']): Promise<T | null> {
    return this.#collection.findOne<T>({ _id: id } as mongo.Filter<T>);
  }

  findOne(filter: mongo.Filter<T>): Promise<T | null> {
    return this.#collection.findOne<T>(filter);
  }

  find(filter: mongo.Filter<T>, options: { sort?: mongo.Sort; limit: number }): Promise<T[]> {
    return this.#collection.find<T>(filter, { sort: options.sort ?? { _id: 1 }, limit: options.limit }).toArray();
  }

  /** True when applied; false when the copy already reflects this event or a newer one. */
  applyIfNewer(id: T['_id'], sequence: number, fields: Partial<Omit<T, '_id' | 'sequence'>>): Promise<boolean> {
    return applyIfNewer(this.#collection, { _id: id }, sequence, fields);
  }
}

/**
 * One guarded upsert: it matches only a copy older than `sequence`; when a newer copy
 * exists the upsert's insert collides with its `_id`, which means "stale, skip".
 */
export async function applyIfNewer<T extends ReplicaFields>(
  collection: mongo.Collection<T>,
  identity: { _id: string } & Record<string, unknown>,
  sequence: number,
  fields: object,
): Promise<boolean> {
  const olderCopy: mongo.Filter<ReplicaFields> = { ...identity, sequence: { $lt: sequence } };
  const newFields: Partial<ReplicaFields> = { ...fields, sequence };
  try {
    const result = await collection.updateOne(olderCopy as mongo.Filter<T>, { $set: newFields as Partial<T> }, { upsert: true });
    return result.matchedCount === 1 || result.upsertedCount === 1;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}
