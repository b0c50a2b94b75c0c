import type { Model, mongo } from 'mongoose';
import type { EventEnvelope } from '@messngr/contracts';
import type { PlatformAdmin } from '../auth/authorization';
import type { TenantId } from '../core/tenant-id';
import type { OutboxSource } from '../events/outbox-source';
import type { AggregateChanges, AggregateFields, Decision, NewAggregate } from './aggregate';
import { AggregateCollection, type AggregateCollectionOptions } from './aggregate-collection';
import { crossTenantReads, type CrossTenantReads, type ScopedFilter, type TenantOwned } from './tenant-scope';

/**
 * Aggregates that belong to a tenant. Every read and every write takes the tenant apart
 * from the filter (whose type excludes `tenantId`), and writes are guarded by id, tenant
 * and version: another tenant's aggregate cannot be read or changed by its id. The one
 * unscoped door, `acrossTenants`, opens only for a proven platform administrator.
 */
export class TenantScopedStore<T extends AggregateFields & TenantOwned> {
  readonly #aggregates: AggregateCollection<T>;
  readonly #model: Model<T>;

  constructor(model: Model<T>, options: AggregateCollectionOptions = {}) {
    this.#model = model;
    this.#aggregates = new AggregateCollection(model, options);
  }

  get outbox(): OutboxSource {
    return this.#aggregates.outbox;
  }

  findById(tenantId: TenantId, id: string): Promise<T | null> {
    return this.#aggregates.findOne(scoped<T>(tenantId, { _id: id }));
  }

  findOne(tenantId: TenantId, filter: ScopedFilter<T>): Promise<T | null> {
    return this.#aggregates.findOne(scoped(tenantId, filter));
  }

  find(tenantId: TenantId, filter: ScopedFilter<T>, options: { sort?: mongo.Sort; limit: number }): Promise<T[]> {
    return this.#aggregates.find(scoped(tenantId, filter), options);
  }

  /** Cursor page ordered by `_id` (ids are time-ordered): pass the last id seen as `after`. */
  page(tenantId: TenantId, filter: ScopedFilter<T>, options: { first: number; after?: string | null }): Promise<T[]> {
    const range = options.after ? { _id: { $gt: options.after } } : {};
    return this.#aggregates.find(scoped(tenantId, { ...filter, ...range }), { sort: { _id: 1 }, limit: options.first });
  }

  /** The aggregate's own `tenantId` is its scope. */
  insert(document: NewAggregate<T>, events: EventEnvelope[]): Promise<T> {
    return this.#aggregates.insert(document, events);
  }

  change(tenantId: TenantId, id: string, decide: (current: T) => Decision<T>): Promise<T | undefined> {
    return this.#aggregates.change(scoped<T>(tenantId, { _id: id }), { tenantId }, decide);
  }

  /** See AggregateCollection.whenPublished. */
  whenPublished(tenantId: TenantId, id: string, eventIds: readonly string[], timeoutMs: number): Promise<boolean> {
    return this.#aggregates.whenPublished(scoped<T>(tenantId, { _id: id }), eventIds, timeoutMs);
  }

  /** See ConditionalWriter.writeAtVersion: scoped by tenant, guarded by the version the caller expects, without a read. */
  changeAtVersion(
    tenantId: TenantId,
    id: string,
    version: number,
    conditions: ScopedFilter<T>,
    changes: AggregateChanges<T> | Record<`${string}.${string}`, unknown>,
  ): Promise<T | null> {
    return this.#aggregates.changeAtVersion({ _id: id, version, tenantId }, conditions as mongo.Filter<T>, changes);
  }

  acrossTenants(admin: PlatformAdmin): CrossTenantReads<T> {
    return crossTenantReads(this.#model, admin);
  }
}

function scoped<T extends TenantOwned>(tenantId: TenantId, filter: ScopedFilter<T> | { _id: string }): mongo.Filter<T> {
  return { ...filter, tenantId } as mongo.Filter<T>;
}
