import { Schema, type Connection, type Model } from 'mongoose';
import type { TenantId } from '@messngr/kit/core';

/** One code sent in one window for one scope: `_id` = `<scope>:<window>:<n>`, unique. */
export interface SendSlotDocument {
  _id: string;
  tenantId: TenantId;
  expiresAt: Date;
}

const sendSlotSchema = new Schema<SendSlotDocument>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'send_slots', versionKey: false },
);
sendSlotSchema.index({ expiresAt: 1 });

export function sendSlotModel(connection: Connection): Model<SendSlotDocument> {
  return connection.model<SendSlotDocument>('SendSlot', sendSlotSchema);
}
