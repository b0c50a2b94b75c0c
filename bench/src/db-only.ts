import { randomBytes } from 'node:crypto';
import type { Connection, mongo } from 'mongoose';
import { newId } from '@messngr/kit/core';
import { connectMongo, detectWriteClaims, isDuplicateKeyError } from '@messngr/kit/mongo';
import type { Origin, RecordedCommand } from './round-trips';

/**
 * The identity subgraph's database round trips alone: the command sequence of an operation
 * replayed straight against the same server, through a client opened the way the service
 * opens its own (`connectMongo`), at the same concurrency. Nothing else: no HTTP, GraphQL,
 * crypto or tokens.
 *
 * The replay writes into a database of its own with the identity database's collections and
 * indexes, so the service's outbox relay and code courier never see (and publish or send)
 * what it writes; only collections that start no background work and whose cost grows with
 * their content (send slots) are shared with the service (see `exemplarReplay`).
 */

/** A document of the replay: string ids, like every collection of the service. */
type Doc = { _id: string } & mongo.Document;

/** Far enough that no replayed session or flow expires during a run. */
const FAR = new Date(Date.now() + 365 * 86_400_000);

export interface ReplayDatabase {
  connection: Connection;
  db: mongo.Db;
  /** Whether the server needs the write claims the service makes (FerretDB): the replay makes them too. */
  claims: boolean;
  /** The tenant the replay's documents belong to. */
  tenantId: string;
  collection(name: string): mongo.Collection<Doc>;
  close(): Promise<void>;
}

/** A database beside `sourceDatabase` with the same collections and indexes (those the service has created). */
export async function openReplayDatabase(uri: string, sourceDatabase: string, name: string): Promise<ReplayDatabase> {
  const connection = await connectMongo(uri, name);
  const db = connection.db;
  if (!db) throw new Error('the replay connection is not open');
  const source = connection.getClient().db(sourceDatabase);
  const collections = (await source.listCollections({}, { nameOnly: true }).toArray()).map((info) => info.name);
  for (const collection of collections) {
    await db.createCollection(collection).catch((error: { codeName?: string }) => {
      if (error.codeName !== 'NamespaceExists') throw error;
    });
    const indexes = await source
      .collection(collection)
      .listIndexes()
      .toArray()
      .catch(() => []);
    for (const index of indexes as { name: string; key: mongo.IndexSpecification; unique?: boolean; sparse?: boolean }[]) {
      if (index.name === '_id_') continue;
      await db.collection(collection).createIndex(index.key, {
        name: index.name,
        ...(index.unique ? { unique: true } : {}),
        ...(index.sparse ? { sparse: true } : {}),
      });
    }
  }
  return {
    connection,
    db,
    claims: await detectWriteClaims(connection),
    tenantId: newId('ten'),
    collection: (collection) => db.collection<Doc>(collection),
    close: () => connection.close(),
  };
}

const token = () => randomBytes(32).toString('base64url');

function duplicateIsFalse(error: unknown): false {
  if (isDuplicateKeyError(error)) return false;
  throw error;
}

/**
 * `refreshSession`'s fast path: the claim of `sessions/<id>/<next version>` (only where the
 * server needs claims) and the findOneAndUpdate guarded by the version the token remembers
 * that rotates the family, with the same filter and the same seven dotted fields plus the
 * version (refresh-session.ts, session.repository.ts, ConditionalWriter.writeAtVersion).
 * Each worker rotates a session of its own.
 */
export async function refreshReplay(
  replay: ReplayDatabase,
  realSession: mongo.Document,
  workers: number,
): Promise<(worker: number) => Promise<boolean>> {
  const sessions = replay.collection('sessions');
  const claims = replay.collection('aggregate_write_claims');
  const refresh = realSession['refresh'] as Record<string, unknown>;
  const sealedCurrent = refresh['sealedCurrent'];
  if (!sealedCurrent) throw new Error('the sample session has not rotated yet: no sealed current token to copy');
  const state = Array.from({ length: workers }, () => ({ id: newId('ses'), hash: token(), generation: 0, version: 1 }));
  await sessions.insertMany(
    state.map((s) => ({
      ...realSession,
      _id: s.id,
      tenantId: replay.tenantId,
      status: 'ACTIVE',
      version: s.version,
      pendingEvents: [],
      refresh: { ...refresh, hash: s.hash, idleExpiresAt: FAR, absoluteExpiresAt: FAR },
    })),
  );
  return async (worker) => {
    const s = state[worker];
    if (!s) throw new Error(`no replay session for worker ${worker}`);
    const now = new Date();
    const next = token();
    if (replay.claims) {
      const claimed = await claims
        .insertOne({ _id: `sessions/${s.id}/${s.version + 1}`, claimedAt: now })
        .then(() => true, duplicateIsFalse);
      if (!claimed) return false;
    }
    const written = await sessions.findOneAndUpdate(
      {
        status: 'ACTIVE',
        'refresh.hash': s.hash,
        'refresh.absoluteExpiresAt': { $gt: now },
        'refresh.idleExpiresAt': { $gt: now },
        _id: s.id,
        version: s.version,
        tenantId: replay.tenantId,
      },
      {
        $set: {
          version: s.version + 1,
          'refresh.hash': next,
          'refresh.previousHash': s.hash,
          [`refresh.history.${s.generation % 16}`]: s.hash,
          'refresh.rotatedAt': now,
          'refresh.sealedCurrent': sealedCurrent,
          'refresh.idleExpiresAt': new Date(now.getTime() + 86_400_000),
          'refresh.lastUsedAt': now,
        },
      },
      { returnDocument: 'after' },
    );
    if (!written) return false;
    s.hash = next;
    s.generation += 1;
    s.version += 1;
    return true;
  };
}

const WRITES_WITH_ERRORS = new Set(['insert', 'update', 'delete']);

/** Every string in `value` (deeply) with `swap` applied; dates and other values as they are. */
function mapStrings(value: unknown, swap: (text: string) => string): unknown {
  if (typeof value === 'string') return swap(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, swap));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, swap)]));
  }
  return value;
}

function filtersOf(body: mongo.Document): mongo.Document[] {
  const filters: unknown[] = [body['filter'], body['query']];
  for (const statement of [...((body['updates'] as unknown[]) ?? []), ...((body['deletes'] as unknown[]) ?? [])]) {
    filters.push((statement as { q?: unknown }).q);
  }
  for (const stage of (body['pipeline'] as unknown[]) ?? []) filters.push((stage as { $match?: unknown }).$match);
  return filters.filter((filter): filter is mongo.Document => !!filter && typeof filter === 'object');
}

/**
 * An operation's recorded commands (`RecordedCommand.body`, one operation alone) replayed as
 * they were sent, each iteration with ids of its own, so it follows the service's code as it
 * changes. What an iteration creates (the `_id` and unique-indexed values of what it inserts:
 * flows, slots, claims, sessions, accounts) is new every time; what it finds that existed
 * before (an account and its identity claim, a lockout key) is a copy per worker, taken from
 * the service's database, so workers do not contend on one document; version-guarded writes
 * are guarded by the version each document has reached. Collections in `shared` (reference
 * data such as tenants) are copied as they are and read by every worker. Collections in
 * `live` are the service's own, read and written where the service does: those whose cost
 * grows with what the service stored (a send-slot count scans every slot the tenant took on
 * FerretDB), so that both sides count over the same documents.
 *
 * Recorded alone, the sequence has none of the retries that concurrent sign-ins cause (a
 * send slot or a write claim taken by another request a moment earlier): it is the work the
 * operation needs, which is what the database is measured doing.
 */
export async function exemplarReplay(
  replay: ReplayDatabase,
  recorded: RecordedCommand[],
  options: { workers: number; sourceDatabase: string; shared?: readonly string[]; live?: readonly string[] },
): Promise<(worker: number) => Promise<boolean>> {
  const shared = new Set(options.shared ?? ['tenants']);
  const live = new Set(options.live ?? []);
  const commands = recorded.map((command) => {
    if (!command.body) throw new Error(`the ${command.name} on ${command.collection} was recorded without its body`);
    return { name: command.name, collection: command.collection, body: command.body, refused: command.refused === true };
  });
  const uniqueFields = new Map<string, string[]>();
  for (const collection of new Set(commands.map((command) => command.collection))) {
    const indexes = (await replay.connection
      .getClient()
      .db(options.sourceDatabase)
      .collection(collection)
      .listIndexes()
      .toArray()
      .catch(() => [])) as { name: string; key: Record<string, unknown>; unique?: boolean }[];
    uniqueFields.set(
      collection,
      indexes
        .filter((index) => index.unique && index.name !== '_id_')
        .flatMap((index) => Object.keys(index.key).filter((f) => f !== 'tenantId')),
    );
  }

  // What the operation creates, and what it finds that existed before.
  const created = new Set<string>();
  for (const { name, collection, body } of commands) {
    if (name !== 'insert') continue;
    for (const document of (body['documents'] as mongo.Document[]) ?? []) {
      for (const field of ['_id', ...(uniqueFields.get(collection) ?? [])]) {
        if (typeof document[field] === 'string') created.add(document[field]);
      }
    }
  }
  const existing = new Map<string, string>();
  for (const { collection, body } of commands) {
    for (const filter of filtersOf(body)) {
      const id = filter['_id'];
      if (typeof id === 'string' && !created.has(id)) existing.set(id, collection);
    }
  }
  const run = randomBytes(3).toString('hex');
  // Longest first, so an id inside a longer one (a flow id in its write claim) never splits it.
  const tokens = [...created, ...[...existing.keys()].filter((id) => !shared.has(existing.get(id) ?? ''))].sort(
    (a, b) => b.length - a.length,
  );
  const swapper = (worker: number, iteration: number) => {
    const replacement = new Map(
      tokens.map((token) => [
        token,
        created.has(token) ? `${token}.r${run}w${worker}n${iteration}` : `${token}.r${run}w${worker}`,
      ]),
    );
    return (text: string) => {
      let result = text;
      for (const [token, swapped] of replacement) if (result.includes(token)) result = result.split(token).join(swapped);
      return result;
    };
  };

  // Copies of what existed: per worker, or once for shared collections.
  const source = replay.connection.getClient().db(options.sourceDatabase);
  const target = (collection: string) => (live.has(collection) ? source : replay.db);
  const versions = new Map<string, number>();
  for (const [id, collection] of existing) {
    if (live.has(collection)) continue;
    const document = await source.collection<Doc>(collection).findOne({ _id: id });
    if (!document) continue;
    if (shared.has(collection)) {
      await replay.db.collection<Doc>(collection).replaceOne({ _id: id }, document, { upsert: true });
      continue;
    }
    for (let worker = 0; worker < options.workers; worker += 1) {
      const copy = mapStrings(document, swapper(worker, 0)) as Doc;
      // Unique values (an account's handle) stay unique among the copies.
      for (const field of uniqueFields.get(collection) ?? []) {
        if (typeof copy[field] === 'string') copy[field] = `${copy[field]}_w${worker}`;
      }
      await replay.db.collection<Doc>(collection).insertOne(copy);
      if (typeof copy['version'] === 'number') versions.set(copy._id, copy['version']);
    }
  }

  const iterations = new Map<number, number>();
  return async (worker) => {
    const iteration = (iterations.get(worker) ?? 0) + 1;
    iterations.set(worker, iteration);
    const swap = swapper(worker, iteration);
    for (const { name, collection, body, refused } of commands) {
      const command = mapStrings(body, swap) as mongo.Document;
      let guarded: { id: string; version: number } | undefined;
      if (name === 'insert') {
        for (const document of (command['documents'] as Doc[]) ?? []) {
          if (typeof document['version'] === 'number') versions.set(document._id, document['version']);
        }
      }
      if (name === 'update') {
        const [statement] = (command['updates'] as { q: mongo.Document; u: mongo.Document }[]) ?? [];
        const id = statement?.q['_id'];
        const version = typeof id === 'string' ? versions.get(id) : undefined;
        if (statement && typeof id === 'string' && version !== undefined && typeof statement.q['version'] === 'number') {
          statement.q['version'] = version;
          const set = statement.u['$set'] as mongo.Document | undefined;
          if (set && typeof set['version'] === 'number') set['version'] = version + 1;
          guarded = { id, version };
        }
      }
      // A write the service saw refused (a write claim another writer held a moment earlier) is refused here too.
      const reply = await target(collection)
        .command(command)
        .catch((error: unknown) => {
          if (refused) return {} as mongo.Document;
          throw error;
        });
      if (refused) continue;
      if (WRITES_WITH_ERRORS.has(name) && Array.isArray(reply['writeErrors']) && reply['writeErrors'].length > 0) {
        throw new Error(`a replayed ${name} on ${collection} failed: ${JSON.stringify(reply['writeErrors']).slice(0, 200)}`);
      }
      if (guarded) {
        if (reply['n'] !== 1) throw new Error(`a replayed guarded update of ${collection} matched nothing`);
        versions.set(guarded.id, guarded.version + 1);
      }
    }
    return true;
  };
}

/**
 * An operation's own commands among those recorded while it ran alone: its request's (cache
 * refills aside), and the background work on what the request created, such as the courier
 * delivering the flow's code; not polls, not other operations' work.
 */
export function ownCommands(recorded: RecordedCommand[], background: readonly Origin[] = ['courier']): RecordedCommand[] {
  const request = recorded.filter((command) => command.origin === 'request' && !command.cached);
  const created = request
    .filter((command) => command.name === 'insert')
    .flatMap((command) => ((command.body?.['documents'] as { _id?: unknown }[]) ?? []).map((document) => document._id))
    .filter((id): id is string => typeof id === 'string');
  const mentionsCreated = (command: RecordedCommand) => {
    const text = JSON.stringify(command.body ?? {});
    return created.some((id) => text.includes(id));
  };
  return recorded.filter(
    (command) =>
      !command.cached && (command.origin === 'request' || (background.includes(command.origin) && mentionsCreated(command))),
  );
}
