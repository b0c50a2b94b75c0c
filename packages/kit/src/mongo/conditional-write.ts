import type { Connection, Model } from 'mongoose';
import { isDuplicateKeyError } from './duplicate-key';

const CLAIMS_COLLECTION = 'aggregate_write_claims';
/** A claim older than this whose document never moved on is taken to be from a crashed writer. */
const STALE_CLAIM_MS = 30_000;
const claimsNeeded = new WeakMap<Connection, boolean>();

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

/** Applies `update` only if the document is still at `version`; true when it was applied. */
export async function conditionalWrite(
  model: Model<never>,
  id: string,
  version: number,
  update: Record<string, unknown>,
): Promise<boolean> {
  const claimId = claimsNeeded.get(model.db) ? `${model.collection.collectionName}/${id}/${version + 1}` : undefined;
  if (claimId && !(await claimNextVersion(model, claimId, id, version))) return false;
  let applied = false;
  try {
    applied = (await model.collection.updateOne({ _id: id, version } as never, update as never)).matchedCount === 1;
    return applied;
  } finally {
    // A claim whose write failed (e.g. a unique index refused it) must not block the next writer.
    if (claimId && !applied) await claimsOf(model).deleteOne({ _id: claimId });
  }
}

function claimsOf(model: Model<never>) {
  return model.db.collection<{ _id: string; claimedAt: Date }>(CLAIMS_COLLECTION);
}

async function claimNextVersion(model: Model<never>, claimId: string, id: string, version: number): Promise<boolean> {
  const claims = claimsOf(model);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      await claims.insertOne({ _id: claimId, claimedAt: new Date() });
      if (Math.random() < 0.01)
        void claims.deleteMany({ claimedAt: { $lt: new Date(Date.now() - 10 * STALE_CLAIM_MS) } }).catch(() => undefined);
      return true;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const existing = await claims.findOne({ _id: claimId });
    if (!existing || Date.now() - existing.claimedAt.getTime() < STALE_CLAIM_MS) return false;
    const current = (await model.collection.findOne({ _id: id } as never, { projection: { version: 1 } })) as {
      version?: number;
    } | null;
    if (current?.version !== version) return false;
    await claims.deleteOne({ _id: claimId, claimedAt: existing.claimedAt });
  }
  return false;
}
