import { Schema, type Connection, type Model } from 'mongoose';
import type { TenantId } from '@messngr/kit/core';

/**
 * What the OAuth2/OIDC provider (oidc-provider) stores through its adapter: sessions,
 * interactions, grants, codes, tokens, replay markers, one collection for every model.
 *
 * `_id` = `tenantId:model:sha256(id)` (base64url): the ids of codes, tokens and sessions are
 * bearer secrets, so only their hash is kept. Consumption claims live here too, as markers
 * with `_id` = `<record _id>:consumed`, `payload` null, and the grant and expiry of their record.
 * Device-code polls are markers too (model 'DevicePoll', `grantId` = the device code's `_id`,
 * `consumedAt` = when it was polled), for `slow_down`.
 */
export interface AuthorizationRecordDocument {
  _id: string;
  tenantId: TenantId;
  /** oidc-provider's model name: 'Session', 'AuthorizationCode', 'Grant', … */
  model: string;
  /** The payload as JSON (so the server never sees oidc-provider's keys); null on consumption markers. */
  payload: string | null;
  /** Plain: revoking a grant finds its codes and tokens by it. */
  grantId: string | null;
  /** sha256 (base64url) of the normalized user code of a device code. */
  userCodeHash: string | null;
  /** sha256 (base64url) of a session's uid. */
  uidHash: string | null;
  /** Checked in code on every read (no TTL index: FerretDB refuses it); the sweeper deletes what has passed it. */
  expiresAt: Date | null;
  consumedAt: Date | null;
}

const authorizationRecordSchema = new Schema<AuthorizationRecordDocument>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    model: { type: String, required: true },
    payload: { type: String, default: null },
    grantId: { type: String, default: null },
    userCodeHash: { type: String, default: null },
    uidHash: { type: String, default: null },
    expiresAt: { type: Date, default: null },
    consumedAt: { type: Date, default: null },
  },
  { collection: 'authorization_records', versionKey: false },
);
authorizationRecordSchema.index({ tenantId: 1, model: 1, grantId: 1 });
authorizationRecordSchema.index({ tenantId: 1, model: 1, userCodeHash: 1 });
authorizationRecordSchema.index({ tenantId: 1, model: 1, uidHash: 1 });
authorizationRecordSchema.index({ expiresAt: 1 });

export function authorizationRecordModel(connection: Connection): Model<AuthorizationRecordDocument> {
  return connection.model<AuthorizationRecordDocument>('AuthorizationRecord', authorizationRecordSchema);
}
