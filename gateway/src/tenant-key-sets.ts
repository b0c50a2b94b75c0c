import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

/** A tenant's published keys, as last fetched from the identity subgraph. */
interface KeySet {
  tenantId: string;
  verify: JWTVerifyGetKey;
  kids: Set<string>;
  /** When the fetch that read these keys started. */
  fetchedAt: number;
}

export interface KeySetOptions {
  identityUrl: string;
  /** Fresh this long; then refetched in the background while still used. */
  freshMs?: number;
  /** Used this long after the last successful fetch when identity cannot be reached. */
  staleMs?: number;
  /** An unknown kid refetches at most this often per tenant; a token within the cooldown waits for the next fetch. */
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
  /** When the last fetch of each known tenant's set started, for the unknown-kid cooldown. */
  readonly #lastFetch = new Map<string, number>();
  readonly #kidRefetches = new Map<string, Promise<KeySet>>();
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
    // Fetched for this very token: nothing fresher to look for.
    if (!set) return this.fetchOnce(slug);
    if (kid && !set.kids.has(kid)) {
      // Perhaps a key published since the last fetch (a rotation): fetch again rather than refuse.
      set = await this.refetchForUnknownKid(slug, set);
    } else if (now - set.fetchedAt > this.#o.freshMs) {
      if (now - set.fetchedAt > this.#o.staleMs) set = await this.fetchOnce(slug);
      else void this.fetchOnce(slug).catch(() => undefined);
    }
    return set;
  }

  /**
   * One fresh fetch for every token with a kid the set lacks, at most one per cooldown per
   * tenant. A token arriving within the cooldown waits for the next fetch instead of being
   * refused: a key published just after the last fetch (a short overlap, or a fetch that had
   * begun before the rotation) would otherwise be refused until the cooldown ends.
   */
  private refetchForUnknownKid(slug: string, current: KeySet): Promise<KeySet> {
    let pending = this.#kidRefetches.get(slug);
    if (!pending) {
      const sinceLast = this.#o.now() - (this.#lastFetch.get(slug) ?? -Infinity);
      const wait = Math.min(this.#o.refetchCooldownMs - sinceLast, this.#o.refetchCooldownMs);
      pending = (async () => {
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        // Counted even if it fails, so an outage of identity is not asked again for every forged kid.
        this.#lastFetch.set(slug, this.#o.now());
        // Not joined to a fetch in flight: that one may have read the keys before the rotation.
        return this.fetchKeySet(slug);
      })()
        .catch(() => current)
        .finally(() => this.#kidRefetches.delete(slug));
      this.#kidRefetches.set(slug, pending);
    }
    return pending;
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
    const startedAt = this.#o.now();
    const response = await this.#o.fetch(`${this.#o.identityUrl}/t/${slug}/jwks.json`, { signal: AbortSignal.timeout(5_000) });
    if (response.status === 404) {
      await response.body?.cancel();
      this.remember(this.#unknown, slug, this.#o.now() + this.#o.unknownMs, this.#o.maxUnknown);
      this.#known.delete(slug);
      this.#lastFetch.delete(slug);
      throw new UnknownIssuerError('unknown issuer');
    }
    if (!response.ok) throw new Error(`JWKS of ${slug} answered ${response.status}`);
    const body = (await response.json()) as JSONWebKeySet & { messngr_tenant_id?: unknown };
    if (typeof body.messngr_tenant_id !== 'string' || !Array.isArray(body.keys)) throw new Error(`JWKS of ${slug} is malformed`);
    const set: KeySet = {
      tenantId: body.messngr_tenant_id,
      verify: createLocalJWKSet({ keys: body.keys }),
      kids: new Set(body.keys.map((key) => key.kid).filter((kid): kid is string => typeof kid === 'string')),
      fetchedAt: startedAt,
    };
    this.#unknown.delete(slug);
    // Two fetches may overlap (a refresh and an unknown kid's): the one that started last wins.
    const known = this.#known.get(slug);
    if (!known || known.fetchedAt <= startedAt) this.remember(this.#known, slug, set, this.#o.maxKnown);
    // Only tenants that exist are remembered here, never an attacker's random issuers.
    if ((this.#lastFetch.get(slug) ?? -Infinity) < startedAt) this.#lastFetch.set(slug, startedAt);
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
