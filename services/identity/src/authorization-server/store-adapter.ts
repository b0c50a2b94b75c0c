import { createHash } from 'node:crypto';
import type { Model, mongo } from 'mongoose';
import type { Adapter, AdapterConstructor, AdapterPayload } from 'oidc-provider';
import type { Clock, TenantId } from '@messngr/kit/core';
import { isDuplicateKeyError } from '@messngr/kit/mongo';
import type { AuthorizationRecordDocument } from '../persistence/authorization-record.model';

export interface AuthorizationStoreHooks {
  /** Client metadata for 'Client' finds (the registry lives elsewhere); undefined when unknown. */
  findClient(clientId: string): Promise<Record<string, unknown> | undefined>;
  /** Called (and awaited) when oidc-provider revokes a grant: from revokeByGrantId on the 'AccessToken' model. */
  onGrantRevoked(grantId: string): Promise<void>;
}

export interface AuthorizationStore {
  /** The class to pass as oidc-provider's `adapter` configuration for this tenant's provider. */
  adapter: AdapterConstructor;
  /** Marks a record consumed exactly once, also under concurrency on FerretDB: true only for the first caller. */
  consumeOnce(modelName: string, id: string): Promise<boolean>;
  /** Whether the record is stored but past its expiry (reads treat it as gone): to tell "expired" from "unknown". */
  isExpired(modelName: string, id: string): Promise<boolean>;
  /**
   * Records a poll of a device code (RFC 8628 §3.5): false when the previous poll was less than
   * `intervalSeconds` ago, or a concurrent poll of the same interval claimed it first.
   */
  claimPoll(deviceCode: string, intervalSeconds: number): Promise<boolean>;
  /** Deletes expired records (FerretDB has no TTL indexes); returns how many. */
  sweepExpired(limit: number): Promise<number>;
}

const DEVICE_CODE = 'DeviceCode';
const DEVICE_POLL = 'DevicePoll';

/**
 * The `jti` a Session found by uid carries: its real id (the session cookie) is stored only as
 * a hash, so it cannot be handed back. The adapter refuses to write under it, so saving or
 * destroying such a session fails loudly instead of touching another record.
 */
export const ID_NOT_STORED = '(id not stored: found by uid)';

/** Models whose payload keeps the record's own id: found by user code, then saved back under it (device flow). */
const KEEPS_ID_IN_PAYLOAD: ReadonlySet<string> = new Set(['DeviceCode']);

/** Client metadata is not stored here: `find` asks the registry (hooks.findClient), nothing else is allowed. */
const CLIENT = 'Client';

type Records = mongo.Collection<AuthorizationRecordDocument>;

/**
 * oidc-provider's storage for one tenant, on the MongoDB-compatible server (FerretDB v1 in
 * development and tests). Every query names the tenant and the model; ids are stored hashed;
 * expiry is checked in code; consumption claims are unique `_id` inserts, since FerretDB can
 * lose one of several concurrent guarded updates. Nothing here logs ids or payloads.
 */
export function authorizationStore(
  model: Model<AuthorizationRecordDocument>,
  clock: Clock,
  tenantId: TenantId,
  hooks: AuthorizationStoreHooks,
): AuthorizationStore {
  // The driver's collection (lean, typed filters), looked up on use: the connection may open later.
  const records = (): Records => {
    const db = model.db.db;
    if (!db) throw new Error('the connection of the authorization store is not open');
    return db.collection<AuthorizationRecordDocument>(model.collection.collectionName);
  };

  const findLive = async (filter: mongo.Filter<AuthorizationRecordDocument>) => {
    const document = await records().findOne({ ...filter, tenantId });
    // Markers (payload null) have ids and hashes no lookup asks for; checked all the same.
    return document && document.payload !== null && isLive(document, clock.now()) ? document : undefined;
  };

  /** Inserts the record's consumption marker: false when one exists (someone consumed it first). */
  const claimConsumption = async (record: AuthorizationRecordDocument, at: Date): Promise<boolean> => {
    try {
      await records().insertOne(consumptionMarker(record, at));
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  };

  class TenantAuthorizationAdapter implements Adapter {
    readonly #name: string;

    constructor(name: string) {
      this.#name = name;
    }

    #recordId(id: string): string {
      return authorizationRecordId(tenantId, this.#name, id);
    }

    #assertWritable(id: string): void {
      if (this.#name === CLIENT) throw new Error('clients are kept in the client registry, not in the authorization store');
      if (id === ID_NOT_STORED) throw new Error(`a ${this.#name} found by uid has no stored id to write under`);
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      this.#assertWritable(id);
      const now = clock.now();
      const replacement = recordFields(tenantId, this.#name, id, payload, expiresIn, now);
      const _id = this.#recordId(id);
      // A consumption claim outlives re-saves (consumeOnce answers true once per id), with the record's expiry and grant.
      const markerWrite: mongo.AnyBulkWriteOperation<AuthorizationRecordDocument> = {
        updateOne: {
          filter: { _id: consumptionMarkerId(_id), tenantId, model: this.#name },
          update: { $set: { expiresAt: replacement.expiresAt, grantId: replacement.grantId } },
        },
      };
      const write = () =>
        records().bulkWrite(
          [{ replaceOne: { filter: { _id, tenantId, model: this.#name }, replacement, upsert: true } }, markerWrite],
          { ordered: true },
        );
      try {
        await write();
      } catch (error) {
        // Two first saves of one id at once: on MongoDB the later upsert may hit the other's insert.
        if (!isDuplicateKeyError(error)) throw error;
        await write();
      }
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.#name === CLIENT) return (await hooks.findClient(id)) as AdapterPayload | undefined;
      const document = await findLive({ _id: this.#recordId(id), model: this.#name });
      return document && foundPayload(document, id);
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      if (this.#name === CLIENT) return undefined;
      const document = await findLive({ model: this.#name, uidHash: sha256(uid) });
      return document && foundPayload(document, ID_NOT_STORED);
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      if (this.#name === CLIENT) return undefined;
      const document = await findLive({ model: this.#name, userCodeHash: sha256(normalizeUserCode(userCode)) });
      return document && foundPayload(document, ID_NOT_STORED);
    }

    async consume(id: string): Promise<void> {
      this.#assertWritable(id);
      const now = clock.now();
      const record = await records().findOneAndUpdate(
        { _id: this.#recordId(id), tenantId, model: this.#name },
        { $set: { consumedAt: now } },
        { returnDocument: 'after' },
      );
      // The marker too, so that a later consumeOnce of this record answers false.
      if (record) await claimConsumption(record, now);
    }

    async destroy(id: string): Promise<void> {
      this.#assertWritable(id);
      const _id = this.#recordId(id);
      await records().deleteMany({ _id: { $in: [_id, consumptionMarkerId(_id)] }, tenantId, model: this.#name });
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      if (this.#name === CLIENT) throw new Error('clients have no grants');
      // Markers carry their record's grant: they go with it.
      await records().deleteMany({ tenantId, model: this.#name, grantId });
      // oidc-provider revokes AccessTokens of every grant it revokes; they are issued elsewhere here.
      if (this.#name === 'AccessToken') await hooks.onGrantRevoked(grantId);
    }
  }

  return {
    adapter: TenantAuthorizationAdapter,

    async consumeOnce(modelName, id) {
      if (modelName === CLIENT) throw new Error('clients are not consumed');
      const now = clock.now();
      const record = await findLive({ _id: authorizationRecordId(tenantId, modelName, id), model: modelName });
      if (!record || record.consumedAt) return false;
      if (!(await claimConsumption(record, now))) return false;
      await records().updateOne({ _id: record._id, tenantId, model: modelName }, { $set: { consumedAt: now } });
      return true;
    },

    async isExpired(modelName, id) {
      const record = await records().findOne({ _id: authorizationRecordId(tenantId, modelName, id), tenantId, model: modelName });
      return record !== null && record.payload !== null && !isLive(record, clock.now());
    },

    async claimPoll(deviceCode, intervalSeconds) {
      const now = clock.now();
      const intervalMs = intervalSeconds * 1000;
      const codeRecordId = authorizationRecordId(tenantId, DEVICE_CODE, deviceCode);
      // Insert-only, so FerretDB and MongoDB agree: one marker per code and interval slot, the last poll's time on it.
      const recent = await records().findOne({
        tenantId,
        model: DEVICE_POLL,
        grantId: codeRecordId,
        consumedAt: { $gt: new Date(now.getTime() - intervalMs) },
      });
      if (recent) return false;
      try {
        await records().insertOne({
          _id: `${codeRecordId}:poll:${Math.floor(now.getTime() / intervalMs)}`,
          tenantId,
          model: DEVICE_POLL,
          payload: null,
          grantId: codeRecordId,
          userCodeHash: null,
          uidHash: null,
          expiresAt: new Date(now.getTime() + 2 * intervalMs),
          consumedAt: now,
        });
        return true;
      } catch (error) {
        if (isDuplicateKeyError(error)) return false;
        throw error;
      }
    },

    async sweepExpired(limit) {
      const now = clock.now();
      const expired = await records()
        .find({ tenantId, expiresAt: { $lte: now } }, { projection: { _id: 1 }, limit })
        .toArray();
      if (expired.length === 0) return 0;
      const ids = expired.map((document) => document._id);
      return (await records().deleteMany({ _id: { $in: ids }, tenantId, expiresAt: { $lte: now } })).deletedCount;
    },
  };
}

/** `tenantId:model:sha256(id)`: the id itself (a bearer secret for codes, tokens and sessions) is never stored. */
export function authorizationRecordId(tenantId: TenantId, modelName: string, id: string): string {
  return `${tenantId}:${modelName}:${sha256(id)}`;
}

export function consumptionMarkerId(recordId: string): string {
  return `${recordId}:consumed`;
}

/** oidc-provider's normalization of a user code (upper case, no separators), so any spelling finds the same code. */
export function normalizeUserCode(userCode: string): string {
  return userCode.replace(/[a-z]/g, (char) => char.toUpperCase()).replace(/\W/g, '');
}

/** Whether a record may still be read: past `expiresAt` it is gone, whether or not the sweeper has been. */
export function isLive(record: Pick<AuthorizationRecordDocument, 'expiresAt'>, now: Date): boolean {
  return record.expiresAt === null || record.expiresAt.getTime() > now.getTime();
}

/**
 * The stored form of what oidc-provider saves: its payload as JSON, without `consumed` (kept
 * as `consumedAt`) and without its own id (`jti`) unless the model must hand it back from a
 * lookup by user code; the grant plain, user code and uid hashed.
 */
export function recordFields(
  tenantId: TenantId,
  modelName: string,
  id: string,
  payload: AdapterPayload,
  expiresIn: number | undefined,
  now: Date,
): Omit<AuthorizationRecordDocument, '_id'> {
  const { consumed, ...kept } = payload as AdapterPayload & { consumed?: unknown };
  if (kept.jti === id && !KEEPS_ID_IN_PAYLOAD.has(modelName)) delete kept.jti;
  return {
    tenantId,
    model: modelName,
    payload: JSON.stringify(kept),
    grantId: typeof payload.grantId === 'string' ? payload.grantId : null,
    userCodeHash: typeof payload.userCode === 'string' ? sha256(normalizeUserCode(payload.userCode)) : null,
    uidHash: typeof payload.uid === 'string' ? sha256(payload.uid) : null,
    expiresAt: typeof expiresIn === 'number' ? new Date(now.getTime() + expiresIn * 1000) : null,
    consumedAt: consumedAt(consumed, now),
  };
}

/** The payload oidc-provider gets back: `jti` is the id it was found by (if not kept), `consumed` in epoch seconds. */
export function foundPayload(record: Pick<AuthorizationRecordDocument, 'payload' | 'consumedAt'>, id: string): AdapterPayload {
  const payload = JSON.parse(record.payload ?? '{}') as AdapterPayload;
  if (payload.jti === undefined) payload.jti = id;
  if (record.consumedAt) payload.consumed = Math.floor(record.consumedAt.getTime() / 1000);
  return payload;
}

function consumedAt(consumed: unknown, now: Date): Date | null {
  if (typeof consumed === 'number') return new Date(consumed * 1000);
  return consumed ? now : null;
}

function consumptionMarker(record: AuthorizationRecordDocument, at: Date): AuthorizationRecordDocument {
  return {
    _id: consumptionMarkerId(record._id),
    tenantId: record.tenantId,
    model: record.model,
    payload: null,
    grantId: record.grantId,
    userCodeHash: null,
    uidHash: null,
    expiresAt: record.expiresAt,
    consumedAt: at,
  };
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}
