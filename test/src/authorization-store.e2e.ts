import { randomBytes } from 'node:crypto';
import mongoose, { type Connection, type Model } from 'mongoose';
import type ProviderClass from 'oidc-provider';
import type { AdapterPayload } from 'oidc-provider';
import { asTenantId, type TenantId } from '@messngr/kit/core';
import {
  authorizationRecordModel,
  type AuthorizationRecordDocument,
} from '@messngr/identity/src/persistence/authorization-record.model';
import {
  authorizationRecordId,
  authorizationStore,
  ID_NOT_STORED,
  type AuthorizationStoreHooks,
} from '@messngr/identity/src/authorization-server/store-adapter';
import { MovableClock } from './harness/movable-clock';

const secret = () => randomBytes(24).toString('base64url');
const newTenant = (): TenantId => asTenantId(`ten_${randomBytes(6).toString('hex')}`);

/** oidc-provider's storage on the real MongoDB-compatible server (FerretDB v1 in CI). */
describe('authorization store on the real database', () => {
  let connection: Connection;
  let model: Model<AuthorizationRecordDocument>;
  const raw = () => connection.db!.collection<AuthorizationRecordDocument>('authorization_records');
  const tenantDocuments = (tenantId: TenantId) => raw().find({ tenantId }).toArray();

  const hooksFor = (clients: Record<string, Record<string, unknown>> = {}) => {
    const revoked: string[] = [];
    const hooks: AuthorizationStoreHooks = {
      findClient: async (clientId) => clients[clientId],
      onGrantRevoked: async (grantId) => {
        revoked.push(grantId);
      },
    };
    return { hooks, revoked };
  };

  const storeFor = (tenantId: TenantId, clock = new MovableClock(), hooks = hooksFor().hooks) => {
    const store = authorizationStore(model, clock, tenantId, hooks);
    return { ...store, clock, of: (name: string) => new store.adapter(name) };
  };

  beforeAll(async () => {
    connection = mongoose.createConnection(process.env['MONGODB_URI']!, {
      dbName: `e2e_${randomBytes(4).toString('hex')}_authorization`,
    });
    await connection.asPromise();
    model = authorizationRecordModel(connection);
    await model.createCollection();
    await model.createIndexes(); // no TTL index among them: FerretDB refuses those
  });

  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  it('finds what was upserted, replaced whole by the next upsert', async () => {
    const codes = storeFor(newTenant()).of('AuthorizationCode');
    const id = secret();
    await codes.upsert(id, { jti: id, kind: 'AuthorizationCode', accountId: 'acc_1', scope: 'openid email' }, 60);
    expect(await codes.find(id)).toEqual({ jti: id, kind: 'AuthorizationCode', accountId: 'acc_1', scope: 'openid email' });

    await codes.upsert(id, { jti: id, kind: 'AuthorizationCode', accountId: 'acc_2' }, 60);
    expect(await codes.find(id)).toEqual({ jti: id, kind: 'AuthorizationCode', accountId: 'acc_2' });
    expect(await codes.find(secret())).toBeUndefined();

    await codes.destroy(id);
    expect(await codes.find(id)).toBeUndefined();
  });

  it('answers undefined for an expired record, before any sweep', async () => {
    const store = storeFor(newTenant());
    const sessions = store.of('Session');
    const id = secret();
    await sessions.upsert(id, { jti: id, kind: 'Session', accountId: 'acc_1', uid: 'uid_1' }, 60);
    store.clock.advance(59_000);
    expect(await sessions.find(id)).toMatchObject({ accountId: 'acc_1' });
    expect(await sessions.findByUid('uid_1')).toMatchObject({ accountId: 'acc_1' });
    store.clock.advance(1_000);
    expect(await sessions.find(id)).toBeUndefined();
    expect(await sessions.findByUid('uid_1')).toBeUndefined();
  });

  it('stores ids only hashed: the raw id appears nowhere in what the database holds', async () => {
    const tenantId = newTenant();
    const store = storeFor(tenantId);
    const id = secret();
    await store.of('RefreshToken').upsert(id, { jti: id, kind: 'RefreshToken', grantId: 'grant_1' }, 600);
    await store.of('RefreshToken').consume(id);
    const documents = await tenantDocuments(tenantId);
    expect(documents.map((document) => document._id).sort()).toEqual([
      authorizationRecordId(tenantId, 'RefreshToken', id),
      `${authorizationRecordId(tenantId, 'RefreshToken', id)}:consumed`,
    ]);
    expect(JSON.stringify(documents)).not.toContain(id);
    expect(documents[0]).toMatchObject({ tenantId, model: 'RefreshToken', grantId: 'grant_1' });
    expect(typeof documents.find((document) => document.payload !== null)?.payload).toBe('string');
  });

  it('finds sessions by uid and device codes by any spelling of their user code', async () => {
    const store = storeFor(newTenant());
    const sessionId = secret();
    await store.of('Session').upsert(sessionId, { jti: sessionId, kind: 'Session', uid: 'uid_s', accountId: 'acc_1' }, 600);
    // The session's id is stored hashed only, so what comes back by uid cannot be written under.
    expect(await store.of('Session').findByUid('uid_s')).toEqual({
      jti: ID_NOT_STORED,
      kind: 'Session',
      uid: 'uid_s',
      accountId: 'acc_1',
    });
    expect(await store.of('Session').findByUid('uid_other')).toBeUndefined();
    await expect(store.of('Session').upsert(ID_NOT_STORED, { kind: 'Session' }, 60)).rejects.toThrow(/found by uid/);
    expect(await store.of('Interaction').findByUid('uid_s')).toBeUndefined(); // scoped by model

    const deviceCode = secret();
    await store.of('DeviceCode').upsert(deviceCode, { jti: deviceCode, kind: 'DeviceCode', userCode: 'WDJBMJHT' }, 600);
    expect(await store.of('DeviceCode').findByUserCode('wdjb-mjht')).toEqual({
      jti: deviceCode,
      kind: 'DeviceCode',
      userCode: 'WDJBMJHT',
    });
    expect(await store.of('DeviceCode').findByUserCode('WDJBMJHX')).toBeUndefined();
  });

  it('returns `consumed` in epoch seconds once a record is consumed', async () => {
    const store = storeFor(newTenant());
    const codes = store.of('AuthorizationCode');
    const id = secret();
    await codes.upsert(id, { jti: id, kind: 'AuthorizationCode' }, 60);
    expect((await codes.find(id))?.consumed).toBeUndefined();
    await codes.consume(id);
    const consumed = (await codes.find(id))?.consumed as number;
    expect(consumed).toBe(Math.floor(store.clock.now().getTime() / 1000));
    expect(Number.isInteger(consumed)).toBe(true);
    // A plain consume counts for consumeOnce too.
    expect(await store.consumeOnce('AuthorizationCode', id)).toBe(false);
    await codes.consume(secret()); // consuming nothing is nothing
  });

  it('lets exactly one of 20 concurrent consumeOnce callers win, every time', async () => {
    const tenantId = newTenant();
    const store = storeFor(tenantId);
    for (let round = 0; round < 5; round += 1) {
      const id = secret();
      await store.of('AuthorizationCode').upsert(id, { jti: id, kind: 'AuthorizationCode', grantId: `grant_${round}` }, 60);
      const results = await Promise.all(Array.from({ length: 20 }, () => store.consumeOnce('AuthorizationCode', id)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.consumeOnce('AuthorizationCode', id)).toBe(false);
      expect((await store.of('AuthorizationCode').find(id))?.consumed).toEqual(expect.any(Number));
      // A re-save (which replaces the payload, `consumed` or not) does not reopen the claim; the marker follows its expiry.
      await store.of('AuthorizationCode').upsert(id, { jti: id, kind: 'AuthorizationCode', grantId: `grant_${round}` }, 120);
      expect(await store.consumeOnce('AuthorizationCode', id)).toBe(false);
      const marker = await raw().findOne({ _id: `${authorizationRecordId(tenantId, 'AuthorizationCode', id)}:consumed` });
      const record = await raw().findOne({ _id: authorizationRecordId(tenantId, 'AuthorizationCode', id) });
      expect(marker).toMatchObject({ tenantId, payload: null, grantId: `grant_${round}`, expiresAt: record?.expiresAt });
    }
    expect(await store.consumeOnce('AuthorizationCode', secret())).toBe(false); // nothing to consume
  });

  it('lets a device code be polled once an interval: of 10 concurrent polls one passes, the next interval one more', async () => {
    // A clock standing still, a second into an interval: concurrent polls all fall in the same one.
    let nowMs = Math.floor(Date.now() / 5_000) * 5_000 + 1_000;
    const still = { now: () => new Date(nowMs), advance: (ms: number) => void (nowMs += ms) } as unknown as MovableClock;
    const store = storeFor(newTenant(), still);
    const deviceCode = secret();
    const polls = await Promise.all(Array.from({ length: 10 }, () => store.claimPoll(deviceCode, 5)));
    expect(polls.filter(Boolean)).toHaveLength(1);
    store.clock.advance(2_000);
    expect(await store.claimPoll(deviceCode, 5)).toBe(false);
    store.clock.advance(3_100);
    expect(await store.claimPoll(deviceCode, 5)).toBe(true);
    expect(await store.claimPoll(secret(), 5)).toBe(true); // another code has its own pace
  });

  it('tells an expired record from one never stored, though neither can be found', async () => {
    const store = storeFor(newTenant());
    const id = secret();
    await store.of('DeviceCode').upsert(id, { jti: id, kind: 'DeviceCode', userCode: 'BCDFGHJK' }, 60);
    expect(await store.isExpired('DeviceCode', id)).toBe(false);
    store.clock.advance(61_000);
    expect(await store.of('DeviceCode').find(id)).toBeUndefined();
    expect(await store.isExpired('DeviceCode', id)).toBe(true);
    expect(await store.isExpired('DeviceCode', secret())).toBe(false);
    expect(await storeFor(newTenant(), store.clock).isExpired('DeviceCode', id)).toBe(false); // another tenant's
  });

  it('revokes a grant: only that model’s records of that grant in that tenant, and tells the hook for AccessToken', async () => {
    const tenantA = newTenant();
    const tenantB = newTenant();
    const a = hooksFor();
    const storeA = storeFor(tenantA, new MovableClock(), a.hooks);
    const storeB = storeFor(tenantB);
    const ids = { code1: secret(), code2: secret(), other: secret(), refresh: secret(), inB: secret() };
    const save = (store: typeof storeA, name: string, id: string, grantId: string) =>
      store.of(name).upsert(id, { jti: id, kind: name, grantId }, 600);
    await save(storeA, 'AuthorizationCode', ids.code1, 'grant_1');
    await save(storeA, 'AuthorizationCode', ids.code2, 'grant_1');
    await save(storeA, 'AuthorizationCode', ids.other, 'grant_2');
    await save(storeA, 'RefreshToken', ids.refresh, 'grant_1');
    await save(storeB, 'AuthorizationCode', ids.inB, 'grant_1');
    expect(await storeA.consumeOnce('AuthorizationCode', ids.code1)).toBe(true);

    await storeA.of('AuthorizationCode').revokeByGrantId('grant_1');
    expect(await storeA.of('AuthorizationCode').find(ids.code1)).toBeUndefined();
    expect(await storeA.of('AuthorizationCode').find(ids.code2)).toBeUndefined();
    expect(await storeA.of('AuthorizationCode').find(ids.other)).toBeDefined();
    expect(await storeA.of('RefreshToken').find(ids.refresh)).toBeDefined();
    expect(await storeB.of('AuthorizationCode').find(ids.inB)).toBeDefined();
    expect((await tenantDocuments(tenantA)).map((document) => document.grantId).sort()).toEqual(['grant_1', 'grant_2']); // marker gone too
    expect(a.revoked).toEqual([]);

    await storeA.of('AccessToken').revokeByGrantId('grant_1');
    expect(a.revoked).toEqual(['grant_1']);
    expect(await storeA.of('RefreshToken').find(ids.refresh)).toBeDefined();
  });

  it('can not find, consume or destroy another tenant’s record by its id', async () => {
    const storeA = storeFor(newTenant());
    const storeB = storeFor(newTenant());
    const id = secret();
    await storeA.of('Session').upsert(id, { jti: id, kind: 'Session', uid: 'uid_a' }, 600);
    expect(await storeB.of('Session').find(id)).toBeUndefined();
    expect(await storeB.of('Session').findByUid('uid_a')).toBeUndefined();
    expect(await storeB.consumeOnce('Session', id)).toBe(false);
    await storeB.of('Session').consume(id);
    await storeB.of('Session').destroy(id);
    expect(await storeA.of('Session').find(id)).toEqual({ jti: id, kind: 'Session', uid: 'uid_a' });
    expect(await storeA.consumeOnce('Session', id)).toBe(true);
  });

  it('asks the client registry for clients and stores none', async () => {
    const { hooks } = hooksFor({ known: { client_id: 'known', redirect_uris: ['https://app.example/cb'] } });
    const clients = storeFor(newTenant(), new MovableClock(), hooks).of('Client');
    expect(await clients.find('known')).toEqual({ client_id: 'known', redirect_uris: ['https://app.example/cb'] });
    expect(await clients.find('unknown')).toBeUndefined();
    await expect(clients.upsert('known', { client_id: 'known' } as AdapterPayload)).rejects.toThrow(/client registry/);
    await expect(clients.destroy('known')).rejects.toThrow(/client registry/);
  });

  it('sweeps what has expired, consumption markers included, and nothing else', async () => {
    const tenantId = newTenant();
    const store = storeFor(tenantId);
    const ids = { short: secret(), short2: secret(), long: secret(), forever: secret() };
    await store.of('AuthorizationCode').upsert(ids.short, { jti: ids.short, kind: 'AuthorizationCode' }, 10);
    await store.of('AuthorizationCode').upsert(ids.short2, { jti: ids.short2, kind: 'AuthorizationCode' }, 10);
    await store.of('Session').upsert(ids.long, { jti: ids.long, kind: 'Session' }, 1_000);
    await store.of('Grant').upsert(ids.forever, { jti: ids.forever, kind: 'Grant' });
    expect(await store.consumeOnce('AuthorizationCode', ids.short)).toBe(true);
    expect(await store.consumeOnce('Session', ids.long)).toBe(true);
    const other = storeFor(newTenant());
    await other.of('AuthorizationCode').upsert(ids.short, { jti: ids.short, kind: 'AuthorizationCode' }, 10);

    expect(await store.sweepExpired(100)).toBe(0);
    store.clock.advance(10_000);
    expect(await store.sweepExpired(2)).toBe(2);
    expect(await store.sweepExpired(100)).toBe(1);
    expect(await store.sweepExpired(100)).toBe(0);
    const left = await tenantDocuments(tenantId);
    expect(left.map((document) => document._id).sort()).toEqual(
      [
        authorizationRecordId(tenantId, 'Session', ids.long),
        `${authorizationRecordId(tenantId, 'Session', ids.long)}:consumed`,
        authorizationRecordId(tenantId, 'Grant', ids.forever),
      ].sort(),
    );
    expect(await store.of('Grant').find(ids.forever)).toBeDefined();
    expect(await other.of('AuthorizationCode').find(ids.short)).toBeDefined(); // another tenant's store sweeps its own
  });

  describe('behind a real oidc-provider', () => {
    let Provider: typeof ProviderClass;
    let tenantId: TenantId;
    let provider: ProviderClass;
    let store: ReturnType<typeof storeFor>;
    let revoked: string[];

    beforeAll(async () => {
      // oidc-provider 9 warns that it prefers Node 22 (and about development keys); Node 20.19+ runs it.
      jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      Provider = (await import('oidc-provider')).default;
      tenantId = newTenant();
      const hooks = hooksFor({
        'dyn-client': { client_id: 'dyn-client', client_secret: 'dyn-secret', redirect_uris: ['https://app.example/cb'] },
      });
      revoked = hooks.revoked;
      store = storeFor(tenantId, new MovableClock(), hooks.hooks);
      provider = new Provider('http://127.0.0.1/t/x', {
        adapter: store.adapter,
        clients: [],
        ttl: { Grant: 3_600, AuthorizationCode: 60, Session: 3_600, Interaction: 600, DeviceCode: 600 },
      });
    });

    afterAll(() => {
      jest.restoreAllMocks();
    });

    it('saves and finds grants, sessions and interactions through the adapter', async () => {
      const grantId = await new provider.Grant({ accountId: 'acc_1', clientId: 'dyn-client' }).save();
      expect(await provider.Grant.find(grantId)).toMatchObject({ accountId: 'acc_1', clientId: 'dyn-client', jti: grantId });

      // The typings declare no constructor arguments for these two; oidc-provider's own code passes them.
      const session = new provider.Session();
      session.accountId = 'acc_1';
      await session.save(3_600);
      expect(await provider.Session.find(session.jti)).toMatchObject({ accountId: 'acc_1', uid: session.uid });
      const byUid = await provider.Session.findByUid(session.uid);
      expect(byUid).toMatchObject({ accountId: 'acc_1', uid: session.uid });
      await expect(byUid!.save(3_600)).rejects.toThrow(/found by uid/);

      const Interaction = provider.Interaction as unknown as new (
        uid: string,
        payload: object,
      ) => InstanceType<typeof provider.Interaction>;
      await new Interaction('interaction-uid-1', {
        returnTo: 'http://127.0.0.1/t/x/auth/interaction-uid-1',
        params: { client_id: 'dyn-client' },
        prompt: { name: 'login', reasons: ['no_session'], details: {} },
        session,
      }).save(600);
      expect(await provider.Interaction.find('interaction-uid-1')).toMatchObject({
        uid: 'interaction-uid-1',
        returnTo: 'http://127.0.0.1/t/x/auth/interaction-uid-1',
        session: { accountId: 'acc_1', uid: session.uid },
      });

      // Ids are kept hashed (though oidc-provider's Interaction payload carries its session's id as `session.cookie`).
      const documents = await tenantDocuments(tenantId);
      expect(JSON.stringify(documents)).not.toContain(grantId);
      expect(JSON.stringify(documents.filter((document) => document.model !== 'Interaction'))).not.toContain(session.jti);
    });

    it('consumes authorization codes once and revokes them with their grant', async () => {
      const client = (await provider.Client.find('dyn-client'))!;
      const grantId = await new provider.Grant({ accountId: 'acc_2', clientId: 'dyn-client' }).save();
      const newCode = () =>
        new provider.AuthorizationCode({
          client,
          gty: 'authorization_code',
          accountId: 'acc_2',
          grantId,
          redirectUri: 'https://app.example/cb',
          scope: 'openid',
        }).save();
      const consumedOf = async (value: string) =>
        ((await provider.AuthorizationCode.find(value)) as { consumed?: unknown } | undefined)?.consumed;
      const value = await newCode();
      expect(JSON.stringify(await tenantDocuments(tenantId))).not.toContain(value);
      const code = await provider.AuthorizationCode.find(value);
      expect(code).toMatchObject({ accountId: 'acc_2', clientId: 'dyn-client', grantId, scope: 'openid' });
      expect(await consumedOf(value)).toBeUndefined();
      await code!.consume();
      expect(await consumedOf(value)).toEqual(expect.any(Number));
      expect(await store.consumeOnce('AuthorizationCode', value)).toBe(false);

      const second = await newCode();
      const winners = (
        await Promise.all(Array.from({ length: 20 }, () => store.consumeOnce('AuthorizationCode', second)))
      ).filter(Boolean);
      expect(winners).toHaveLength(1);

      await provider.AuthorizationCode.revokeByGrantId(grantId);
      expect(await provider.AuthorizationCode.find(second)).toBeUndefined();
      expect(await provider.Grant.find(grantId)).toBeDefined(); // the grant itself is destroyed by oidc-provider, not here
      await provider.AccessToken.revokeByGrantId(grantId);
      expect(revoked).toEqual([grantId]);
    });

    it('finds device codes by user code and saves them back under their id', async () => {
      const client = (await provider.Client.find('dyn-client'))!;
      const grantId = await new provider.Grant({ accountId: 'acc_3', clientId: 'dyn-client' }).save();
      const value = await new provider.DeviceCode({
        client,
        grantId,
        userCode: 'WDJBMJHT',
        params: { client_id: 'dyn-client', scope: 'openid' },
        deviceInfo: { ip: '127.0.0.1', ua: 'test' },
      }).save();
      const found = await provider.DeviceCode.findByUserCode('WDJBMJHT');
      expect(found).toMatchObject({ jti: value, clientId: 'dyn-client' });
      found!.accountId = 'acc_3';
      await found!.save();
      expect(await provider.DeviceCode.find(value)).toMatchObject({ accountId: 'acc_3', userCode: 'WDJBMJHT' });
    });

    it('looks clients up in the registry', async () => {
      const client = await provider.Client.find('dyn-client');
      expect(client).toMatchObject({ clientId: 'dyn-client', redirectUris: ['https://app.example/cb'] });
      expect(await provider.Client.find('nobody')).toBeUndefined();
    });
  });
});
