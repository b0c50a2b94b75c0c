import type { Model } from 'mongoose';
import { insertAggregate, TenantScopedCollection, type EventEnvelope, type NewAggregate } from '@messngr/kit';
import type { DeviceDocument } from './device.model';

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

  /** Only for platform administrators, who may look across tenants; callers check that first. */
  findByIdInAnyTenant(id: string): Promise<DeviceDocument | null> {
    return this.model.findOne({ _id: id }).lean<DeviceDocument>().exec();
  }

  async activeForAccount(tenantId: string, accountId: string): Promise<DeviceDocument[]> {
    const devices = await this.model
      .find({ tenantId, accountId, revokedAt: null })
      .sort({ _id: -1 })
      .limit(200)
      .lean<DeviceDocument[]>()
      .exec();
    return devices;
  }

  async insert(device: NewAggregate<DeviceDocument>, events: EventEnvelope<unknown>[]): Promise<DeviceDocument> {
    const stored = await insertAggregate(this.model, device, events);
    this.afterWrite();
    return stored;
  }
}
