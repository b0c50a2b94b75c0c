import { Schema, type Connection, type Model } from 'mongoose';
import type { JWK } from 'jose';
import type { SealedSecret, TenantId } from '@messngr/kit/core';
import { addOutboxIndex, aggregateSchemaFields, type AggregateFields } from '@messngr/kit/mongo';

export type SigningKeyStatus = 'active' | 'retired';

export interface StoredSigningKey {
  kid: string;
  alg: 'ES256';
  status: SigningKeyStatus;
  publicJwk: JWK;
  /** The private JWK sealed with AES-256-GCM under SECRETS_ENCRYPTION_KEYS; bound to the kid. */
  sealedPrivateJwk: SealedSecret;
  createdAt: Date;
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
