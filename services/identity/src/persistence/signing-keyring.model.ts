import { Schema, type Connection, type Model } from 'mongoose';
import type { SealedSecret } from '@messngr/kit';
import type { JWK } from 'jose';

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
export interface SigningKeyringDocument {
  _id: string;
  version: number;
  keys: StoredSigningKey[];
}

const signingKeyringSchema = new Schema<SigningKeyringDocument>(
  {
    _id: { type: String, required: true },
    version: { type: Number, required: true },
    keys: { type: [Object], required: true },
  },
  { collection: 'signing_keyrings', versionKey: false },
);

export function signingKeyringModel(connection: Connection): Model<SigningKeyringDocument> {
  return connection.model<SigningKeyringDocument>('SigningKeyring', signingKeyringSchema);
}
