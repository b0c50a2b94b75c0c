import { Schema, type Connection, type Model } from 'mongoose';
import { aggregateSchemaFields, type AggregateFields } from '@messngr/kit';
import type { DevicePlatform } from '../domain/device-platform';

export interface DeviceDocument extends AggregateFields {
  tenantId: string;
  accountId: string;
  name: string;
  platform: DevicePlatform;
  publicKeyFingerprint: string | null;
  registeredAt: Date;
  lastHandshakeAt: Date | null;
  revokedAt: Date | null;
}

const deviceSchema = new Schema<DeviceDocument>(
  {
    ...aggregateSchemaFields,
    tenantId: { type: String, required: true },
    accountId: { type: String, required: true },
    name: { type: String, required: true },
    platform: { type: String, required: true },
    publicKeyFingerprint: { type: String, default: null },
    registeredAt: { type: Date, required: true },
    lastHandshakeAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
  },
  { collection: 'devices', versionKey: false },
);
deviceSchema.index({ tenantId: 1, accountId: 1 });

export function deviceModel(connection: Connection): Model<DeviceDocument> {
  return connection.model<DeviceDocument>('Device', deviceSchema);
}
