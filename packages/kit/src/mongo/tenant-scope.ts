import type { Model, mongo } from 'mongoose';
import type { Caller } from '../auth/assertion';
import { asPlatformAdmin, type PlatformAdmin } from '../auth/authorization';
import type { TenantId } from '../core/tenant-id';
import { isDuplicateKeyError } from './duplicate-key';
import { nativeCollection } from './native-collection';
import { applyIfNewer, type ReplicaFields } from './replica-store';

/** A document that lives inside one tenant. */
export interface TenantOwned {
  _id: string;
  tenantId: TenantId;
}

/** A filter without `tenantId`: the tenant is always passed on its own. */
export type ScopedFilter<T> = Omit<mongo.Filter<T>, 'tenantId'>;

/** Reads across tenants: only platform-admin use-cases hold one. */
export interface CrossTenantReads<T> {
  findById(id: string): Promise<T | null>;
}

export function crossTenantReads<T extends TenantOwned>(model: Model<T>, _admin: PlatformAdmin): CrossTenantReads<T> {
  const collection = nativeCollection(model);
  return { findById: (id) => collection.findOne<T>({ _id: id } as mongo.Filter<T>) };
}

/**
 * Tenant-owned records that are not aggregates (append-only entries, copies of other
 * services' data): scoped reads, and inserts that skip what is there already.
 */
export class TenantScopedRecords<T extends TenantOwned> {
  readonly #collection: mongo.Collection<T>;
  readonly #model: Model<T>;

  constructor(model: Model<T>) {
    this.#model = model;
    this.#collection = nativeCollection(model);
  }

  findById(tenantId: TenantId, id: string): Promise<T | null> {
    return this.#collection.findOne<T>({ _id: id, tenantId } as mongo.Filter<T>);
  }

  find(tenantId: TenantId, filter: ScopedFilter<T>, options: { sort: mongo.Sort; limit: number }): Promise<T[]> {
    return this.#collection.find<T>({ ...filter, tenantId } as mongo.Filter<T>, options).toArray();
  }

  count(tenantId: TenantId, filter: ScopedFilter<T>): Promise<number> {
    return this.#collection.countDocuments({ ...filter, tenantId } as mongo.Filter<T>);
  }

  /** True when the record was new; false when one with its id exists already (idempotent by id). */
  async insertIfAbsent(record: T): Promise<boolean> {
    try {
      await this.#collection.insertOne(record as mongo.OptionalUnlessRequiredId<T>);
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** Deletes what matches in the tenant; true when something was deleted. */
  async deleteWhere(tenantId: TenantId, filter: ScopedFilter<T>): Promise<boolean> {
    return (await this.#collection.deleteOne({ ...filter, tenantId } as mongo.Filter<T>)).deletedCount === 1;
  }

  /**
   * Housekeeping: deletes the records of every tenant whose `field` (a date) is before
   * `before`; how many. Reads nothing, so no tenant's data leaves the store.
   */
  async deleteExpiredAcrossTenants(field: keyof T & string, before: Date): Promise<number> {
    return (await this.#collection.deleteMany({ [field]: { $lt: before } } as mongo.Filter<T>)).deletedCount;
  }

  acrossTenants(admin: PlatformAdmin): CrossTenantReads<T> {
    return crossTenantReads(this.#model, admin);
  }
}

/** Tenant-owned copies of another service's aggregates, kept from its events (see ReplicaStore). */
export class TenantScopedReplicas<T extends TenantOwned & ReplicaFields> extends TenantScopedRecords<T> {
  readonly #collection: mongo.Collection<T>;

  constructor(model: Model<T>) {
    super(model);
    this.#collection = nativeCollection(model);
  }

  /** True when applied; false when the copy already reflects this event or a newer one. */
  applyIfNewer(record: T): Promise<boolean> {
    const { _id, tenantId, sequence, ...fields } = record;
    return applyIfNewer(this.#collection, { _id, tenantId }, sequence, fields);
  }
}

/** Reads by id that a store offers inside a tenant and, for platform administrators, across tenants. */
export interface ScopedReadsById<T> {
  findById(tenantId: TenantId, id: string): Promise<T | null>;
  acrossTenants(admin: PlatformAdmin): CrossTenantReads<T>;
}

/**
 * Looks `id` up where the caller may look: in `tenantId` when given (e.g. from a federation
 * reference), else in the caller's own tenant; only a platform administrator looks across.
 * The caller's right to the record itself is the caller's to check on what comes back.
 */
export async function findForCaller<T>(
  reads: ScopedReadsById<T>,
  caller: Caller,
  id: string,
  tenantId?: TenantId,
): Promise<T | null> {
  if (tenantId) return reads.findById(tenantId, id);
  const admin = asPlatformAdmin(caller);
  if (admin) return reads.acrossTenants(admin).findById(id);
  return caller.tenantId ? reads.findById(caller.tenantId, id) : null;
}

/** `findForCaller`, then the caller's right to what it found: null alike for "absent" and "not yours". */
export async function findReadable<T>(
  reads: ScopedReadsById<T>,
  caller: Caller,
  id: string,
  mayRead: (record: T) => boolean,
  tenantId?: TenantId,
): Promise<T | null> {
  const record = await findForCaller(reads, caller, id, tenantId);
  return record && mayRead(record) ? record : null;
}
