import type { Model, QueryFilter } from 'mongoose';

/**
 * Reads that cannot forget the tenant: every method takes the tenant id separately and
 * the filter type excludes `tenantId`, so an unscoped query does not compile.
 */
export interface TenantOwned {
  _id: string;
  tenantId: string;
}

export type ScopedFilter<T> = Omit<QueryFilter<T>, 'tenantId'>;

export class TenantScopedCollection<T extends TenantOwned> {
  constructor(readonly model: Model<T>) {}

  findById(tenantId: string, id: string): Promise<T | null> {
    return this.model
      .findOne({ _id: id, tenantId } as QueryFilter<T>)
      .lean<T>()
      .exec();
  }

  /** The one unscoped read, for platform administrators only: callers check that first. */
  findByIdInAnyTenant(id: string): Promise<T | null> {
    return this.model
      .findOne({ _id: id } as QueryFilter<T>)
      .lean<T>()
      .exec();
  }

  findOne(tenantId: string, filter: ScopedFilter<T>): Promise<T | null> {
    return this.model
      .findOne({ ...filter, tenantId } as QueryFilter<T>)
      .lean<T>()
      .exec();
  }

  /** Cursor page ordered by `_id` (ids are time-ordered): pass the last id seen as `after`. */
  async page(tenantId: string, filter: ScopedFilter<T>, options: { first: number; after?: string | null }): Promise<T[]> {
    const range = options.after ? { _id: { $gt: options.after } } : {};
    return this.model
      .find({ ...filter, ...range, tenantId } as QueryFilter<T>)
      .sort({ _id: 1 })
      .limit(options.first)
      .lean<T[]>()
      .exec();
  }
}
