import type { Model, mongo } from 'mongoose';
import type { TenantId } from '@messngr/kit/core';
import { TenantScopedRecords, type ScopedFilter } from '@messngr/kit/mongo';
import type { AuditEntryDocument } from './audit-entry.model';
import { driverCollection } from './driver-collection';

/** An `_id` range: entries from `$gte` (inclusive) up to `$lt` (exclusive). */
export interface IdRange {
  $gte?: string;
  $lt?: string;
}

/**
 * Append-only: entries are inserted once (a redelivered id is a no-op) and read by tenant;
 * nothing updates them, and only the retention sweep deletes them.
 */
export class AuditEntryRepository extends TenantScopedRecords<AuditEntryDocument> {
  readonly #collection: mongo.Collection<AuditEntryDocument>;

  constructor(model: Model<AuditEntryDocument>) {
    super(model);
    this.#collection = driverCollection(model);
  }

  /** Records the entry unless it is already there; true when it was new. */
  record(entry: AuditEntryDocument): Promise<boolean> {
    return this.insertIfAbsent(entry);
  }

  /**
   * Up to `limit` entries of the tenant matching `filter` (equalities on indexed fields), newest
   * first, older than the entry `before` when given, within `range` when given.
   */
  newestFirst(
    tenantId: TenantId,
    filter: ScopedFilter<AuditEntryDocument>,
    limit: number,
    before: string | null,
    range: IdRange = {},
  ): Promise<AuditEntryDocument[]> {
    const bounds: IdRange = { ...range };
    if (before && (bounds.$lt === undefined || before < bounds.$lt)) bounds.$lt = before;
    const idFilter = Object.keys(bounds).length > 0 ? { _id: bounds } : {};
    return this.find(tenantId, { ...filter, ...idFilter }, { sort: { _id: -1 }, limit });
  }

  /** The ids of up to `limit` of the tenant's oldest entries with ids below `belowId` (by the (tenantId, _id) index). */
  async oldestIdsBelow(tenantId: TenantId, belowId: string, limit: number): Promise<string[]> {
    const found = await this.#collection
      .find({ tenantId, _id: { $lt: belowId } }, { sort: { _id: 1 }, limit, projection: { _id: 1 } })
      .toArray();
    return found.map((entry) => entry._id);
  }

  /** Retention only: deletes the tenant's entries with these ids; how many. */
  async deleteByIds(tenantId: TenantId, ids: string[]): Promise<number> {
    if (ids.length === 0) return 0;
    return (await this.#collection.deleteMany({ tenantId, _id: { $in: ids } })).deletedCount;
  }
}
