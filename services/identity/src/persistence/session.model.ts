import { Schema, type Connection, type Model } from 'mongoose';
import type { TenantId } from '@messngr/kit/core';
import { addOutboxIndex, aggregateSchemaFields, type AggregateFields } from '@messngr/kit/mongo';
import type { IdentityKind } from '../domain/identity';
import type { RefreshFamily, SessionEndReason, SessionStatus } from '../domain/session';

/**
 * A session: one sign-in, through any door (one-time code now; an upstream provider and
 * Messngr's own OAuth token endpoint later), with its refresh-token family. The roles are
 * copied from the account so a refresh needs no second read.
 */
export interface SessionDocument extends AggregateFields {
  tenantId: TenantId;
  accountId: string;
  roles: string[];
  identity: { id: string; kind: IdentityKind | 'RECOVERY_CODE'; displayValue: string };
  providerId: string | null;
  deviceId: string | null;
  clientId: string;
  clientIp: string | null;
  userAgent: string | null;
  status: SessionStatus;
  endedAt: Date | null;
  endReason: SessionEndReason | null;
  refresh: RefreshFamily;
  createdAt: Date;
  /** When the holder last proved who they are (sign-in or step-up). */
  authenticatedAt: Date;
  /** A recovery session (a recovery code signed in): it may only link an identity and make new codes. */
  restricted?: boolean;
  /** A session the authorization server began: the grant it came from and the hosted-page sign-in behind it. */
  oauth?: { grantId: string; browserSignInId: string; scope: string };
}

const sessionSchema = new Schema<SessionDocument>(
  {
    ...aggregateSchemaFields,
    tenantId: { type: String, required: true },
    accountId: { type: String, required: true },
    roles: { type: [String], default: () => [] },
    identity: { type: Object, required: true },
    providerId: { type: String, default: null },
    deviceId: { type: String, default: null },
    clientId: { type: String, required: true },
    clientIp: { type: String, default: null },
    userAgent: { type: String, default: null },
    status: { type: String, required: true },
    endedAt: { type: Date, default: null },
    endReason: { type: String, default: null },
    refresh: { type: Object, required: true },
    createdAt: { type: Date, required: true },
    authenticatedAt: { type: Date, required: true },
    restricted: { type: Boolean },
    oauth: { type: Object },
  },
  { collection: 'sessions', versionKey: false },
);
sessionSchema.index({ tenantId: 1, accountId: 1, status: 1 });
sessionSchema.index({ tenantId: 1, clientId: 1, status: 1 });
sessionSchema.index({ tenantId: 1, 'oauth.grantId': 1 });
sessionSchema.index({ tenantId: 1, 'oauth.browserSignInId': 1 });
addOutboxIndex(sessionSchema);

export function sessionModel(connection: Connection): Model<SessionDocument> {
  return connection.model<SessionDocument>('Session', sessionSchema);
}
