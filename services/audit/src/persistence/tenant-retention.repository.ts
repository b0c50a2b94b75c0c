import type { Model, mongo } from 'mongoose';
import { ReplicaStore } from '@messngr/kit/mongo';
import { driverCollection } from './driver-collection';
import type { TenantRetentionDocument } from './tenant-retention.model';

/** Each tenant's audit retention; the sweep walks them by id, a bounded page at a time. */
export class TenantRetentionRepository extends ReplicaStore<TenantRetentionDocument> {
  readonly #collection: mongo.Collection<TenantRetentionDocument>;

  constructor(model: Model<TenantRetentionDocument>) {
    super(model);
    this.#collection = driverCollection(model);
  }

  /** Up to `limit` tenants with ids after `after`, in id order. */
  page(after: string | null, limit: number): Promise<TenantRetentionDocument[]> {
    const filter: mongo.Filter<TenantRetentionDocument> = after ? { _id: { $gt: after } } : {};
    return this.#collection.find(filter, { sort: { _id: 1 }, limit }).toArray();
  }
}
