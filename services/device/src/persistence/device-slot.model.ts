import { Schema, type Connection, type Model } from 'mongoose';
import type { TenantId } from '@messngr/kit/core';

/** One of an account's active-device slots, held by one device: `_id` = `<tenantId>:<accountId>:<slot>` (see domain/device-slots). */
export interface DeviceSlotDocument {
  _id: string;
  tenantId: TenantId;
  accountId: string;
  slot: number;
  deviceId: string;
  claimedAt: Date;
}

const deviceSlotSchema = new Schema<DeviceSlotDocument>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    accountId: { type: String, required: true },
    slot: { type: Number, required: true },
    deviceId: { type: String, required: true },
    claimedAt: { type: Date, required: true },
  },
  { collection: 'device_slots', versionKey: false },
);
deviceSlotSchema.index({ tenantId: 1, accountId: 1 });

export function deviceSlotModel(connection: Connection): Model<DeviceSlotDocument> {
  return connection.model<DeviceSlotDocument>('DeviceSlot', deviceSlotSchema);
}
