import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

/** A tenant's published keys, as last fetched from the identity subgraph. */
interface KeySet {
  tenantId: string;
  verify: JWTVerifyGetKey;
  kids: Set<string>;
  fetchedAt: number;
}

export interface KeySetOptions {
  identityUrl: string;
  /** Fresh this long; then refetched in the background while still used. */
  freshMs?: number;
  /** Used this long after the last successful fetch when identity cannot be reached. */
  staleMs?: number;
  /** An unknown kid refetches at most this often per tenant. */
  refetchCooldownMs?: number;
  /** An issuer identity does not know is remembered as unknown this long. */
  unknownMs?: number;
  maxKnown?: number;
  maxUnknown?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

export class UnknownIssuerError extends Error {}

/**
 * The key sets of tenant issuers, kept apart from the issuers found to be unknown, so random
 * issuers in forged tokens never evict a real tenant's keys and cost one fetch per minute at
 * most. Keys are served stale-while-revalidate: a brief outage of identity keeps tokens
 * verifying for `staleMs` instead of refusing every one.
 */
export class TenantKeySets {
  readonly #known = new Map<string, KeySet>();
  readonly #unknown = new Map<string, number>();
  readonly #inFlight = new Map<string, Promise<KeySet>>();
  readonly #lastRefetch = new Map<string, number>();
  readonly #o: Required<KeySetOptions>;

  constructor(options: KeySetOptions) {
    this.#o = {
      freshMs: 5 * 60_000,
      staleMs: 60 * 60_000,
      refetchCooldownMs: 2_000,
      unknownMs: 60_000,
      maxKnown: 10_000,
      maxUnknown: 10_000,
      fetch: globalThis.fetch,
      now: Date.now,
      ...options,
    };
  }

  /** The key set to verify a token of `slug` signed with `kid`, and the tenant the issuer is. */
  async keysFor(slug: string, kid: string | undefined): Promise<{ tenantId: string; verify: JWTVerifyGetKey }> {
    const now = this.#o.now();
    const unknownUntil = this.#unknown.get(slug);
    if (unknownUntil !== undefined && unknownUntil > now) throw new UnknownIssuerError('unknown issuer');
    let set = this.#known.get(slug);
    if (!set) {
      set = await this.fetchOnce(slug);
    } else if (kid && !set.kids.has(kid) && now - (this.#lastRefetch.get(slug) ?? 0) > this.#o.refetchCooldownMs) {
      // A key published since the last fetch (a rotation): fetch now rather than refuse.
      this.#lastRefetch.set(slug, now);
      set = await this.fetchOnce(slug).catch(() => set!);
    } else if (now - set.fetchedAt > this.#o.freshMs) {
      if (now - set.fetchedAt > this.#o.staleMs) set = await this.fetchOnce(slug);
      else void this.fetchOnce(slug).catch(() => undefined);
    }
    return set;
  }

  private fetchOnce(slug: string): Promise<KeySet> {
    let pending = this.#inFlight.get(slug);
    if (!pending) {
      pending = this.fetchKeySet(slug).finally(() => this.#inFlight.delete(slug));
      this.#inFlight.set(slug, pending);
    }
    return pending;
  }

  private async fetchKeySet(slug: string): Promise<KeySet> {
    const response = await this.#o.fetch(`${this.#o.identityUrl}/t/${slug}/jwks.json`, { signal: AbortSignal.timeout(5_000) });
    if (response.status === 404) {
      await response.body?.cancel();
      this.remember(this.#unknown, slug, this.#o.now() + this.#o.unknownMs, this.#o.maxUnknown);
      this.#known.delete(slug);
      throw new UnknownIssuerError('unknown issuer');
    }
    if (!response.ok) throw new Error(`JWKS of ${slug} answered ${response.status}`);
    const body = (await response.json()) as JSONWebKeySet & { messngr_tenant_id?: unknown };
    if (typeof body.messngr_tenant_id !== 'string' || !Array.isArray(body.keys)) throw new Error(`JWKS of ${slug} is malformed`);
    const set: KeySet = {
      tenantId: body.messngr_tenant_id,
      verify: createLocalJWKSet({ keys: body.keys }),
      kids: new Set(body.keys.map((key) => key.kid).filter((kid): kid is string => typeof kid === 'string')),
      fetchedAt: this.#o.now(),
    };
    this.#unknown.delete(slug);
    this.remember(this.#known, slug, set, this.#o.maxKnown);
    return set;
  }

  /** Insertion order doubles as age: the oldest entry goes when a map is full. */
  private remember<Value>(map: Map<string, Value>, key: string, value: Value, max: number): void {
    map.delete(key);
    if (map.size >= max) {
      const oldest = map.keys().next();
      if (!oldest.done) map.delete(oldest.value);
    }
    map.set(key, value);
  }
}
