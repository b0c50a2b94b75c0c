import type { Model } from 'mongoose';
import type { TenantId } from '@messngr/kit/core';
import { TenantScopedRecords } from '@messngr/kit/mongo';
import { slotId } from '../domain/device-slots';
import type { DeviceSlotDocument } from './device-slot.model';

/** The claims of the device cap: inserted under a unique `_id`, deleted when their device is revoked. */
export class DeviceSlotRepository extends TenantScopedRecords<DeviceSlotDocument> {
  constructor(model: Model<DeviceSlotDocument>) {
    super(model);
  }

  ofAccount(tenantId: TenantId, accountId: string, cap: number): Promise<DeviceSlotDocument[]> {
    return this.find(tenantId, { accountId }, { sort: { slot: 1 }, limit: cap + 10 });
  }

  /** True when the slot was free and is now the device's. */
  claim(tenantId: TenantId, accountId: string, slot: number, deviceId: string, now: Date): Promise<boolean> {
    return this.insertIfAbsent({ _id: slotId(tenantId, accountId, slot), tenantId, accountId, slot, deviceId, claimedAt: now });
  }

  /** Frees the slot if (and only if) that device still holds it. */
  release(tenantId: TenantId, accountId: string, slot: number, deviceId: string): Promise<boolean> {
    return this.deleteWhere(tenantId, { _id: slotId(tenantId, accountId, slot), deviceId });
  }
}
