import { Schema, type Connection, type Model } from 'mongoose';
import type { TenantId } from '@messngr/kit/core';
import { addOutboxIndex, aggregateSchemaFields, type AggregateFields } from '@messngr/kit/mongo';
import type { DevicePlatform } from '../domain/device-platform';

export interface DeviceDocument extends AggregateFields {
  tenantId: TenantId;
  accountId: string;
  name: string;
  platform: DevicePlatform;
  publicKeyFingerprint: string | null;
  /** The session it signed in with, when it was registered at sign-in. */
  sessionId: string | null;
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
    sessionId: { type: String, default: null },
    registeredAt: { type: Date, required: true },
    lastHandshakeAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
  },
  { collection: 'devices', versionKey: false },
);
deviceSchema.index({ tenantId: 1, accountId: 1 });
addOutboxIndex(deviceSchema);

export function deviceModel(connection: Connection): Model<DeviceDocument> {
  return connection.model<DeviceDocument>('Device', deviceSchema);
}
