import { Schema, type Connection, type Model } from 'mongoose';
import type { DevicePublicKey, TenantId } from '@messngr/kit/core';
import { addOutboxIndex, aggregateSchemaFields, type AggregateFields } from '@messngr/kit/mongo';
import type { PendingHandshake } from '../domain/device-handshake';
import type { DevicePlatform } from '../domain/device-platform';
import type { DeviceRevoker } from '../domain/device-revocation';

export interface DeviceDocument extends AggregateFields {
  tenantId: TenantId;
  accountId: string;
  name: string;
  platform: DevicePlatform;
  /**
   * RFC 7638 thumbprint of `publicKey` (base64url SHA-256); null without a key. Devices
   * registered before keys were JWKs keep the hex SHA-256 of the string they sent.
   */
  publicKeyFingerprint: string | null;
  /** The device's Ed25519 public JWK (public keys are not secrets); null when it registered none (at sign-in, or before keys were JWKs). */
  publicKey?: DevicePublicKey | null;
  /** The app's version as the client said, e.g. `4.2.1`; null when it said none. */
  appVersion?: string | null;
  /** Which of the account's device slots it holds while active (see domain/device-slots); null for devices older than the cap. */
  slot?: number | null;
  /** The handshake it was last challenged with (the nonce's hash only); null before the first. */
  handshake?: PendingHandshake | null;
  /** Where the last handshake came from, as the gateway saw the caller. */
  lastHandshakeIp?: string | null;
  lastHandshakeUserAgent?: string | null;
  /** The session it signed in with, when it was registered at sign-in; the session's end revokes it. */
  sessionId: string | null;
  registeredAt: Date;
  lastHandshakeAt: Date | null;
  /** When it was revoked; null while it is trusted. Its status (ACTIVE or REVOKED) follows from this alone. */
  revokedAt: Date | null;
  /**
   * Who or what revoked it, null while it is trusted (absent on devices stored before revocation existed):
   * `{ kind: 'OWNER' | 'TENANT_ADMIN' | 'SUPPORT', accountId }` when its account, an administrator or support revoked it, or
   * `{ kind: 'SESSION_REVOKED', sessionId, sessionEndReason }` when the session it was bound to ended early.
   */
  revokedBy?: DeviceRevoker | null;
  /** What the revoker said, normalized; null when nothing was (always for a session's end). Absent on older devices. */
  revocationReason?: string | null;
}

const deviceSchema = new Schema<DeviceDocument>(
  {
    ...aggregateSchemaFields,
    tenantId: { type: String, required: true },
    accountId: { type: String, required: true },
    name: { type: String, required: true },
    platform: { type: String, required: true },
    publicKeyFingerprint: { type: String, default: null },
    publicKey: { type: Object, default: null },
    appVersion: { type: String, default: null },
    slot: { type: Number, default: null },
    // Written whole by each start and completion (DESIGN §5).
    handshake: { type: Object, default: null },
    lastHandshakeIp: { type: String, default: null },
    lastHandshakeUserAgent: { type: String, default: null },
    sessionId: { type: String, default: null },
    registeredAt: { type: Date, required: true },
    lastHandshakeAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
    // A small tagged object written whole with the revocation (DESIGN §5: never patched in place).
    revokedBy: { type: Object, default: null },
    revocationReason: { type: String, default: null },
  },
  { collection: 'devices', versionKey: false },
);
deviceSchema.index({ tenantId: 1, accountId: 1 });
// The devices a session's end revokes.
deviceSchema.index({ tenantId: 1, sessionId: 1 });
addOutboxIndex(deviceSchema);

export function deviceModel(connection: Connection): Model<DeviceDocument> {
  return connection.model<DeviceDocument>('Device', deviceSchema);
}
