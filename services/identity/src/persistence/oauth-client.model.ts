import { Schema, type Connection, type Model } from 'mongoose';
import type { SealedSecret, TenantId } from '@messngr/kit/core';
import { addOutboxIndex, aggregateSchemaFields, type AggregateFields } from '@messngr/kit/mongo';
import type { OAuthClientSettings } from '../domain/oauth-client';

export type OAuthClientStatus = 'ACTIVE' | 'REMOVED';

/**
 * A client of a tenant's authorization server. Its id is the public `client_id`. A confidential
 * client's secret is kept sealed (the authorization server compares what a client presents with
 * it) and never leaves the service again after the answer that made it. A removed client is
 * kept, without its secret, so its id is never reused and its history still reads.
 */
export interface OAuthClientDocument extends AggregateFields, OAuthClientSettings {
  tenantId: TenantId;
  status: OAuthClientStatus;
  secret: SealedSecret | null;
  secretRotatedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  removedAt: Date | null;
}

const sealedSecretSchema = new Schema<SealedSecret>(
  { keyId: String, iv: String, tag: String, ciphertext: String },
  { _id: false },
);

const oauthClientSchema = new Schema<OAuthClientDocument>(
  {
    ...aggregateSchemaFields,
    tenantId: { type: String, required: true },
    name: { type: String, required: true },
    kind: { type: String, required: true },
    applicationType: { type: String, required: true },
    firstParty: { type: Boolean, default: false },
    redirectUris: { type: [String], default: [] },
    postLogoutRedirectUris: { type: [String], default: [] },
    grantTypes: { type: [String], default: [] },
    scopes: { type: [String], default: [] },
    status: { type: String, required: true },
    secret: { type: sealedSecretSchema, default: null },
    secretRotatedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    removedAt: { type: Date, default: null },
  },
  { collection: 'oauth_clients', versionKey: false },
);
oauthClientSchema.index({ tenantId: 1, status: 1, _id: 1 });
addOutboxIndex(oauthClientSchema);

export function oauthClientModel(connection: Connection): Model<OAuthClientDocument> {
  return connection.model<OAuthClientDocument>('OAuthClient', oauthClientSchema);
}
