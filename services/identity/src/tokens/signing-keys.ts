import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { Model } from 'mongoose';
import { isDuplicateKeyError, type Clock, type SecretBox } from '@messngr/kit';
import type { SigningKeyringDocument, StoredSigningKey } from '../persistence/signing-keyring.model';

export const ACCESS_TOKEN_ALGORITHM = 'ES256';

export interface ActiveSigningKey {
  kid: string;
  key: CryptoKey;
}

/**
 * Per-tenant ES256 signing keys. Private keys are stored sealed (AES-256-GCM, bound to
 * tenant and kid) and opened only in memory; public keys are published as JWKS.
 */
export class SigningKeys {
  private readonly active = new Map<string, { key: ActiveSigningKey; at: number }>();

  constructor(
    private readonly model: Model<SigningKeyringDocument>,
    private readonly secretBox: SecretBox,
    private readonly clock: Clock,
  ) {}

  /** Creates the tenant's keyring with its first key unless it exists; safe to race. */
  async ensureKeyring(tenantId: string): Promise<SigningKeyringDocument> {
    const existing = await this.find(tenantId);
    if (existing) return existing;
    const keyring: SigningKeyringDocument = { _id: tenantId, version: 1, keys: [await this.generateKey(tenantId)] };
    try {
      await this.model.collection.insertOne(keyring as never);
      return keyring;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const winner = await this.find(tenantId);
      if (!winner) throw error;
      return winner;
    }
  }

  async activeKey(tenantId: string): Promise<ActiveSigningKey> {
    const now = this.clock.now().getTime();
    const cached = this.active.get(tenantId);
    if (cached && now - cached.at < 60_000) return cached.key;
    const keyring = await this.ensureKeyring(tenantId);
    const stored = keyring.keys.find((key) => key.status === 'active');
    if (!stored) throw new Error(`tenant ${tenantId} has no active signing key`);
    const privateJwk = JSON.parse(this.secretBox.open(stored.sealedPrivateJwk, sealingContext(tenantId, stored.kid))) as JWK;
    const key = { kid: stored.kid, key: (await importJWK(privateJwk, ACCESS_TOKEN_ALGORITHM)) as CryptoKey };
    this.active.set(tenantId, { key, at: now });
    return key;
  }

  /** Every published key of the tenant (active and not yet expired retired ones). */
  async jwks(tenantId: string): Promise<{ keys: JWK[] }> {
    const keyring = await this.find(tenantId);
    return { keys: (keyring?.keys ?? []).map((key) => ({ ...key.publicJwk, kid: key.kid, alg: key.alg, use: 'sig' })) };
  }

  private find(tenantId: string): Promise<SigningKeyringDocument | null> {
    return this.model.findOne({ _id: tenantId }).lean<SigningKeyringDocument>().exec();
  }

  private async generateKey(tenantId: string): Promise<StoredSigningKey> {
    const { publicKey, privateKey } = await generateKeyPair(ACCESS_TOKEN_ALGORITHM, { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const privateJwk = await exportJWK(privateKey);
    return {
      kid,
      alg: ACCESS_TOKEN_ALGORITHM,
      status: 'active',
      publicJwk,
      sealedPrivateJwk: this.secretBox.seal(JSON.stringify(privateJwk), sealingContext(tenantId, kid)),
      createdAt: this.clock.now(),
    };
  }
}

function sealingContext(tenantId: string, kid: string): string {
  return `signing-key:${tenantId}:${kid}`;
}
