import type { Connection, mongo } from 'mongoose';
import { isDuplicateKeyError } from './duplicate-key';

const CLAIMS_COLLECTION = 'aggregate_write_claims';
/**
 * A claim this old whose document never moved on is taken to be from a crashed writer. A
 * guarded write holds its claim for one round trip, so a few seconds is generous; writers
 * that find their own claim older than half of it give up instead of writing late.
 */
export const STALE_CLAIM_MS = 5_000;
const ABANDON_OWN_CLAIM_MS = STALE_CLAIM_MS / 2;
const claimsNeeded = new WeakMap<Connection, boolean>();

interface Claim {
  _id: string;
  claimedAt: Date;
}

/**
 * FerretDB v1 evaluates an update's filter and applies the update in separate steps, so
 * concurrent writers guarded by the same `version` can all match (measured: 5 concurrent
 * guarded updates, often 2–3 "won" and only one write survived). On such a server, each
 * guarded write first claims `collection/id/nextVersion` by inserting it under a unique
 * `_id`, which is atomic there as everywhere. MongoDB evaluates the filter atomically and
 * needs no claim.
 */
export async function detectWriteClaims(connection: Connection): Promise<boolean> {
  const info = (await connection.db?.admin().command({ buildInfo: 1 })) as Record<string, unknown> | undefined;
  const needed = info !== undefined && ('ferretdbVersion' in info || 'ferretdbFeatures' in info);
  claimsNeeded.set(connection, needed);
  return needed;
}

export interface VersionGuard {
  _id: string;
  version: number;
  /** Scoped stores guard by tenant too: a write of another tenant's document by id matches nothing. */
  tenantId?: string;
}

/** The version-guarded write of one collection, claiming each next version first where the server needs it. */
export class ConditionalWriter<T extends { _id: string; version: number }> {
  readonly #collection: mongo.Collection<T>;
  readonly #claims: mongo.Collection<Claim> | undefined;

  constructor(connection: Connection, collection: mongo.Collection<T>) {
    this.#collection = collection;
    this.#claims = claimsNeeded.get(connection) ? connection.db?.collection<Claim>(CLAIMS_COLLECTION) : undefined;
  }

  /** Applies `update` only if the document still matches `guard`; true when it was applied. */
  async write(guard: VersionGuard, update: mongo.UpdateFilter<T>, now: () => number = Date.now): Promise<boolean> {
    const claims = this.#claims;
    const claimId = claims ? `${this.#collection.collectionName}/${guard._id}/${guard.version + 1}` : undefined;
    let claimedAt = 0;
    if (claims && claimId) {
      claimedAt = await this.claimNextVersion(claims, claimId, guard, now);
      if (claimedAt === 0) return false;
    }
    let applied = false;
    try {
      if (claimedAt !== 0 && now() - claimedAt > ABANDON_OWN_CLAIM_MS) return false;
      // The guard is an equality filter on fields every such document has.
      const filter = { ...guard } as mongo.Filter<T>;
      applied = (await this.#collection.updateOne(filter, update)).matchedCount === 1;
      return applied;
    } finally {
      // A claim whose write failed (a unique index refused it, or it was abandoned) must not block the next writer.
      if (claims && claimId && !applied) await claims.deleteOne({ _id: claimId });
    }
  }

  /**
   * A guarded write without a read, for a caller that knows the version it expects (a hint
   * carried by the client, say): applies `update` to the document matching `guard` and
   * `conditions`, moves its version on (`update` sets fields with `$set`), and returns it as written. One round trip on MongoDB,
   * two on FerretDB, where it claims the next version like every guarded writer, so it
   * excludes them all (on FerretDB an update writes the whole document back: a writer of
   * other fields that did not hold the claim could undo it). Null when the document is not
   * at that version, does not match, or another writer holds the next version: read, then.
   */
  async writeAtVersion(guard: VersionGuard, conditions: mongo.Filter<T>, update: mongo.UpdateFilter<T>): Promise<T | null> {
    const claims = this.#claims;
    const claimId = `${this.#collection.collectionName}/${guard._id}/${guard.version + 1}`;
    if (claims) {
      try {
        await claims.insertOne({ _id: claimId, claimedAt: new Date() });
      } catch (error) {
        if (isDuplicateKeyError(error)) return null;
        throw error;
      }
    }
    const filter = { ...conditions, ...guard } as mongo.Filter<T>;
    const versioned = { ...update, $set: { ...update.$set, version: guard.version + 1 } } as mongo.UpdateFilter<T>;
    const written = await this.#collection.findOneAndUpdate(filter, versioned, { returnDocument: 'after' });
    if (!written && claims) await claims.deleteOne({ _id: claimId });
    return written as T | null;
  }

  /** The time of the claim made, or 0 when another writer holds the next version. */
  private async claimNextVersion(
    claims: mongo.Collection<Claim>,
    claimId: string,
    guard: VersionGuard,
    now: () => number,
  ): Promise<number> {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const claimedAt = now();
      try {
        await claims.insertOne({ _id: claimId, claimedAt: new Date(claimedAt) });
        if (Math.random() < 0.01) void this.sweepOldClaims(claims, claimedAt);
        return claimedAt;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      const existing = await claims.findOne({ _id: claimId });
      if (!existing || claimedAt - existing.claimedAt.getTime() < STALE_CLAIM_MS) return 0;
      const filter = { _id: guard._id } as mongo.Filter<T>;
      const current = await this.#collection.findOne(filter, { projection: { version: 1 } });
      if (current?.version !== guard.version) return 0;
      // The holder crashed between its claim and its write: take the version over.
      await claims.deleteOne({ _id: claimId, claimedAt: existing.claimedAt });
    }
    return 0;
  }

  private async sweepOldClaims(claims: mongo.Collection<Claim>, now: number): Promise<void> {
    await claims.deleteMany({ claimedAt: { $lt: new Date(now - 60 * STALE_CLAIM_MS) } }).catch(() => undefined);
  }
}
