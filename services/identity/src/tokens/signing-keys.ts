import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { Model } from 'mongoose';
import type { Clock, SecretBox, TenantId } from '@messngr/kit/core';
import type { OutboxRegistry } from '@messngr/kit/events';
import { AggregateStore, isDuplicateKeyError } from '@messngr/kit/mongo';
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
  readonly #active = new Map<string, { key: ActiveSigningKey; at: number }>();
  readonly #store: AggregateStore<SigningKeyringDocument>;
  readonly #secretBox: SecretBox;
  readonly #clock: Clock;

  constructor(model: Model<SigningKeyringDocument>, secretBox: SecretBox, clock: Clock, outboxes: OutboxRegistry) {
    this.#store = new AggregateStore(model, { outboxes });
    this.#secretBox = secretBox;
    this.#clock = clock;
  }

  /** Creates the tenant's keyring with its first key unless it exists; safe to race. */
  async ensureKeyring(tenantId: TenantId): Promise<SigningKeyringDocument> {
    const existing = await this.find(tenantId);
    if (existing) return existing;
    try {
      return await this.#store.insert({ _id: tenantId, keys: [await this.generateKey(tenantId)] }, []);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const winner = await this.find(tenantId);
      if (!winner) throw error;
      return winner;
    }
  }

  async activeKey(tenantId: TenantId): Promise<ActiveSigningKey> {
    const now = this.#clock.now().getTime();
    const cached = this.#active.get(tenantId);
    if (cached && now - cached.at < 60_000) return cached.key;
    const keyring = await this.ensureKeyring(tenantId);
    const stored = keyring.keys.find((key) => key.status === 'active');
    if (!stored) throw new Error(`tenant ${tenantId} has no active signing key`);
    const privateJwk = JSON.parse(this.#secretBox.open(stored.sealedPrivateJwk, sealingContext(tenantId, stored.kid))) as JWK;
    const key = { kid: stored.kid, key: (await importJWK(privateJwk, ACCESS_TOKEN_ALGORITHM)) as CryptoKey };
    this.#active.set(tenantId, { key, at: now });
    return key;
  }

  /** Every published key of the tenant (active and not yet expired retired ones). */
  async jwks(tenantId: TenantId): Promise<{ keys: JWK[] }> {
    const keyring = await this.find(tenantId);
    return { keys: (keyring?.keys ?? []).map((key) => ({ ...key.publicJwk, kid: key.kid, alg: key.alg, use: 'sig' })) };
  }

  private find(tenantId: TenantId): Promise<SigningKeyringDocument | null> {
    return this.#store.findById(tenantId);
  }

  private async generateKey(tenantId: TenantId): Promise<StoredSigningKey> {
    const { publicKey, privateKey } = await generateKeyPair(ACCESS_TOKEN_ALGORITHM, { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const privateJwk = await exportJWK(privateKey);
    return {
      kid,
      alg: ACCESS_TOKEN_ALGORITHM,
      status: 'active',
      publicJwk,
      sealedPrivateJwk: this.#secretBox.seal(JSON.stringify(privateJwk), sealingContext(tenantId, kid)),
      createdAt: this.#clock.now(),
    };
  }
}

function sealingContext(tenantId: string, kid: string): string {
  return `signing-key:${tenantId}:${kid}`;
}
