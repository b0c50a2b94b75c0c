import { Schema, type Connection, type Model } from 'mongoose';
import type { JWK } from 'jose';
import type { SealedSecret, TenantId } from '@messngr/kit/core';
import { addOutboxIndex, aggregateSchemaFields, type AggregateFields } from '@messngr/kit/mongo';
import type { KeyTimeline } from '../domain/signing-keyring';

/** One key and its timeline: published from creation, signing from `signsFrom` until `signsUntil`, dropped at `droppedAt`. */
export interface StoredSigningKey extends KeyTimeline {
  alg: 'ES256';
  publicJwk: JWK;
  /** The private JWK sealed with AES-256-GCM under SECRETS_ENCRYPTION_KEYS; bound to tenant and kid. */
  sealedPrivateJwk: SealedSecret;
}

/** One keyring per tenant (`_id` = tenant id): its keys are read and written whole. */
export interface SigningKeyringDocument extends AggregateFields {
  _id: TenantId;
  keys: StoredSigningKey[];
}

const signingKeyringSchema = new Schema<SigningKeyringDocument>(
  { ...aggregateSchemaFields, keys: { type: [Object], required: true } },
  { collection: 'signing_keyrings', versionKey: false },
);
addOutboxIndex(signingKeyringSchema);

export function signingKeyringModel(connection: Connection): Model<SigningKeyringDocument> {
  return connection.model<SigningKeyringDocument>('SigningKeyring', signingKeyringSchema);
}
