import { createPrivateKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Model } from 'mongoose';
import type { Clock, SecretBox, TenantId } from '@messngr/kit/core';
import type { OutboxRegistry } from '@messngr/kit/events';
import { AggregateStore, isDuplicateKeyError } from '@messngr/kit/mongo';
import { publishedKeysAt, rotate, signingKeyAt, type RotationPolicy } from '../domain/signing-keyring';
import { signingKeysRotated } from '../events/identity-events-publisher';
import type { SigningKeyringDocument, StoredSigningKey } from '../persistence/signing-keyring.model';

export const ACCESS_TOKEN_ALGORITHM = 'ES256';
/** Keyrings are re-read this often at most, so every instance sees a rotation long before its key signs. */
const KEYRING_CACHE_MS = 30_000;

export interface ActiveSigningKey {
  kid: string;
  key: KeyObject;
}

/**
 * Per-tenant ES256 signing keys with rotation. Private keys are stored sealed (AES-256-GCM,
 * bound to tenant and kid) and opened only in memory; public keys are published as JWKS
 * from creation, before they sign, and until well after they stopped.
 */
export class SigningKeys {
  readonly #store: AggregateStore<SigningKeyringDocument>;
  readonly #secretBox: SecretBox;
  readonly #clock: Clock;
  readonly #policy: RotationPolicy;
  readonly #keyrings = new Map<string, { keyring: SigningKeyringDocument; at: number }>();
  readonly #opened = new Map<string, ActiveSigningKey>();

  constructor(
    model: Model<SigningKeyringDocument>,
    secretBox: SecretBox,
    clock: Clock,
    outboxes: OutboxRegistry,
    policy: RotationPolicy,
  ) {
    this.#store = new AggregateStore(model, { outboxes });
    this.#secretBox = secretBox;
    this.#clock = clock;
    this.#policy = policy;
  }

  /** Creates the tenant's keyring with its first key, signing at once, unless it exists; safe to race. */
  async ensureKeyring(tenantId: TenantId): Promise<SigningKeyringDocument> {
    const existing = await this.#store.findById(tenantId);
    if (existing) return existing;
    const now = this.#clock.now();
    const first: StoredSigningKey = {
      ...(await this.generateKey(tenantId)),
      createdAt: now,
      signsFrom: now,
      signsUntil: null,
      droppedAt: null,
    };
    try {
      return await this.#store.insert({ _id: tenantId, keys: [first] }, []);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const winner = await this.#store.findById(tenantId);
      if (!winner) throw error;
      return winner;
    }
  }

  /** The key that signs now (opened once per kid and kept in memory). */
  async activeKey(tenantId: TenantId): Promise<ActiveSigningKey> {
    const keyring = await this.cachedKeyring(tenantId);
    // Read after the keyring: a tenant's first key, created by a concurrent ensureKeyring, signs from the moment it was made.
    const now = this.#clock.now();
    const stored = signingKeyAt(keyring.keys, now);
    if (!stored) throw new Error(`tenant ${tenantId} has no signing key for now`);
    const opened = this.#opened.get(stored.kid);
    if (opened) return opened;
    const privateJwk = JSON.parse(this.#secretBox.open(stored.sealedPrivateJwk, sealingContext(tenantId, stored.kid))) as JWK;
    const key = { kid: stored.kid, key: createPrivateKey({ key: privateJwk, format: 'jwk' }) };
    this.#opened.set(stored.kid, key);
    return key;
  }

  /**
   * The key that signs now as a private JWK, for the tenant's authorization server, which
   * signs its ID tokens with it; kept in memory only, like `activeKey`.
   */
  async activePrivateJwk(tenantId: TenantId): Promise<{ kid: string; jwk: JWK }> {
    const keyring = await this.cachedKeyring(tenantId);
    const stored = signingKeyAt(keyring.keys, this.#clock.now());
    if (!stored) throw new Error(`tenant ${tenantId} has no signing key for now`);
    const jwk = JSON.parse(this.#secretBox.open(stored.sealedPrivateJwk, sealingContext(tenantId, stored.kid))) as JWK;
    return { kid: stored.kid, jwk: { ...jwk, kid: stored.kid, alg: stored.alg, use: 'sig' } };
  }

  /** Every key a verifier may meet now: the one that signs, the next one, and retired ones not yet dropped. */
  async jwks(tenantId: TenantId): Promise<{ keys: JWK[] }> {
    const keyring = await this.#store.findById(tenantId);
    const published = publishedKeysAt(keyring?.keys ?? [], this.#clock.now());
    return { keys: published.map((key) => ({ ...key.publicJwk, kid: key.kid, alg: key.alg, use: 'sig' })) };
  }

  /** Publishes a new key now, signing after the overlap; the current one retires then (see domain/signing-keyring). */
  async rotate(tenantId: TenantId): Promise<SigningKeyringDocument> {
    await this.ensureKeyring(tenantId);
    const generated = await this.generateKey(tenantId);
    const now = this.#clock.now();
    const changed = await this.#store.change(tenantId, (keyring) => {
      const rotation = rotate(keyring.keys, generated, now, this.#policy);
      return {
        changes: { keys: rotation.keys },
        events: [signingKeysRotated(tenantId, rotation.next, rotation.retired, now)],
      };
    });
    if (!changed) throw new Error(`tenant ${tenantId} has no keyring`);
    this.#keyrings.set(tenantId, { keyring: changed, at: now.getTime() });
    return changed;
  }

  /** When the newest key of the tenant was created, for scheduled rotation. */
  async newestKeyCreatedAt(tenantId: TenantId): Promise<Date | null> {
    const keyring = await this.#store.findById(tenantId);
    const times = (keyring?.keys ?? []).map((key) => key.createdAt.getTime());
    return times.length > 0 ? new Date(Math.max(...times)) : null;
  }

  /** Tenant ids of every keyring, for scheduled rotation. */
  async tenantsWithKeys(limit: number): Promise<TenantId[]> {
    return (await this.#store.find({}, { sort: { _id: 1 }, limit })).map((keyring) => keyring._id);
  }

  private async cachedKeyring(tenantId: TenantId): Promise<SigningKeyringDocument> {
    const now = this.#clock.now().getTime();
    const cached = this.#keyrings.get(tenantId);
    if (cached && now - cached.at < KEYRING_CACHE_MS) return cached.keyring;
    const keyring = await this.ensureKeyring(tenantId);
    this.#keyrings.set(tenantId, { keyring, at: now });
    return keyring;
  }

  private async generateKey(
    tenantId: TenantId,
  ): Promise<Pick<StoredSigningKey, 'kid' | 'alg' | 'publicJwk' | 'sealedPrivateJwk'>> {
    const { publicKey, privateKey } = await generateKeyPair(ACCESS_TOKEN_ALGORITHM, { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const privateJwk = await exportJWK(privateKey);
    return {
      kid,
      alg: ACCESS_TOKEN_ALGORITHM,
      publicJwk,
      sealedPrivateJwk: this.#secretBox.seal(JSON.stringify(privateJwk), sealingContext(tenantId, kid)),
    };
  }
}

function sealingContext(tenantId: string, kid: string): string {
  return `signing-key:${tenantId}:${kid}`;
}
