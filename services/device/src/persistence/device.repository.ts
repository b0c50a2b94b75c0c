import type { Model } from 'mongoose';
import { insertAggregate, TenantScopedCollection, type EventEnvelope, type NewAggregate } from '@messngr/kit';
import type { DeviceDocument } from './device.model';

/** Listing bound: an account has a handful of devices; this only stops a runaway from loading thousands. */
export const MAX_LISTED_DEVICES = 200;

export class DeviceRepository {
  private readonly scoped: TenantScopedCollection<DeviceDocument>;

  constructor(
    readonly model: Model<DeviceDocument>,
    private readonly afterWrite: () => void,
  ) {
    this.scoped = new TenantScopedCollection(model);
  }

  findById(tenantId: string, id: string): Promise<DeviceDocument | null> {
    return this.scoped.findById(tenantId, id);
  }

  findByIdInAnyTenant(id: string): Promise<DeviceDocument | null> {
    return this.scoped.findByIdInAnyTenant(id);
  }

  /** Non-revoked devices of an account, newest first (device ids are time-ordered). */
  activeForAccount(tenantId: string, accountId: string): Promise<DeviceDocument[]> {
    return this.model
      .find({ tenantId, accountId, revokedAt: null })
      .sort({ _id: -1 })
      .limit(MAX_LISTED_DEVICES)
      .lean<DeviceDocument[]>()
      .exec();
  }

  async insert(device: NewAggregate<DeviceDocument>, events: EventEnvelope<unknown>[]): Promise<DeviceDocument> {
    const stored = await insertAggregate(this.model, device, events);
    this.afterWrite();
    return stored;
  }
}
