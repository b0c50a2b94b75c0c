import { mongo } from 'mongoose';
import {
  OAuthClientRegistered,
  OAuthClientRemoved,
  OAuthClientSecretRotated,
  OAuthClientUpdated,
  producerTopic,
} from '@messngr/contracts';
import { eventually } from './harness/eventually';
import { oauthClientsApi, type OAuthClientsApi } from './harness/oauth-clients-api';
import { useStack } from './harness/stack';
import { expectError, ok, tenantApi, tenantWithPeople, waitForEvent, type TenantFixture } from './harness/tenant-api';
import { useTopicReader } from './harness/topic-reader';

/**
 * The clients of a tenant's authorization server, managed by its administrators through the
 * gateway: the kinds and their redirect URI rules (RFC 8252 for native apps), the secret shown
 * once and kept sealed, an event for every change, and nobody else allowed.
 */
describe('OAuth clients', () => {
  const env = useStack();
  const reader = useTopicReader([producerTopic('identity')]);
  let api: OAuthClientsApi;
  let acme: TenantFixture;
  let other: TenantFixture;
  let database: mongo.MongoClient;

  beforeAll(async () => {
    database = new mongo.MongoClient(process.env['MONGODB_URI']!);
    api = oauthClientsApi(env.stack);
    const tenants = tenantApi(env);
    [acme, other] = await Promise.all([tenantWithPeople(env, tenants), tenantWithPeople(env, tenants)]);
  });

  afterAll(async () => {
    await database?.close();
  });

  /** The identity subgraph learns of a tenant from its event: the first registration may need a moment. */
  const register = (input: Omit<Parameters<OAuthClientsApi['register']>[1], 'tenantId'>) =>
    eventually(async () => ok(await api.register(acme.admin.token, { tenantId: acme.tenant.id, ...input })).registerOAuthClient);

  /** The client's document as the identity subgraph stored it. */
  const storedClient = (id: string) =>
    database.db(env.stack.databases.identity).collection<{ _id: string }>('oauth_clients').findOne({ _id: id });

  it('registers a public web client with PKCE’s grants and the usual scopes, and publishes it', async () => {
    const { client, clientSecret } = await register({
      name: 'Messngr Web',
      kind: 'PUBLIC',
      redirectUris: ['https://web.messngr.example/callback'],
      postLogoutRedirectUris: ['https://web.messngr.example/'],
    });
    expect(clientSecret).toBeNull();
    expect(client).toMatchObject({
      id: expect.stringMatching(/^cli_/),
      tenantId: acme.tenant.id,
      kind: 'PUBLIC',
      applicationType: 'WEB',
      grantTypes: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'],
      scopes: ['openid', 'profile', 'email'],
      hasSecret: false,
      secretRotatedAt: null,
    });
    const event = await waitForEvent(reader, client.id, OAuthClientRegistered.type);
    expect(event).toMatchObject({ tenantid: acme.tenant.id, data: { client: { id: client.id, name: 'Messngr Web' } } });
    expect(JSON.parse(event.raw)).toMatchObject({ actorid: acme.admin.accountId, actortype: 'tenant_admin' });
  });

  it('registers a native app with loopback and private-use scheme redirect URIs (RFC 8252)', async () => {
    const { client } = await register({
      name: 'Messngr Desktop',
      kind: 'PUBLIC',
      applicationType: 'NATIVE',
      redirectUris: ['http://127.0.0.1/callback', 'http://[::1]/callback', 'com.messngr.desktop:/oauth2redirect'],
      scopes: ['openid', 'offline_access'],
    });
    expect(client).toMatchObject({ applicationType: 'NATIVE', scopes: ['openid', 'offline_access'] });
  });

  it('shows a confidential client’s secret once, keeps it sealed, and never puts it in an event', async () => {
    const { client, clientSecret } = await register({
      name: 'Partner backend',
      kind: 'CONFIDENTIAL',
      grantTypes: ['CLIENT_CREDENTIALS'],
      scopes: ['openid'],
    });
    expect(clientSecret).toMatch(/^mcs_[A-Za-z0-9_-]{43}$/);
    env.stack.handledSecrets.add(clientSecret!);
    expect(client).toMatchObject({ hasSecret: true, secretRotatedAt: client.createdAt, redirectUris: [] });
    const stored = JSON.stringify(await storedClient(client.id));
    expect(stored).toContain('"ciphertext"');
    expect(stored).not.toContain(clientSecret);
    const event = await waitForEvent(reader, client.id, OAuthClientRegistered.type);
    expect(event.raw).not.toContain(clientSecret);

    const rotated = ok(
      await api.rotateSecret(acme.admin.token, { tenantId: acme.tenant.id, clientId: client.id }),
    ).rotateOAuthClientSecret;
    env.stack.handledSecrets.add(rotated.clientSecret);
    expect(rotated.clientSecret).toMatch(/^mcs_/);
    expect(rotated.clientSecret).not.toBe(clientSecret);
    expect(new Date(rotated.client.secretRotatedAt!).getTime()).toBeGreaterThan(new Date(client.secretRotatedAt!).getTime());
    const rotation = await waitForEvent(reader, client.id, OAuthClientSecretRotated.type);
    expect(rotation.raw).not.toContain(rotated.clientSecret);
    expect(rotation.raw).not.toContain(clientSecret);
    expect(JSON.stringify(await storedClient(client.id))).not.toContain(rotated.clientSecret);
  });

  it('registers a device client with the device grant and no redirect URIs; it has no secret to rotate', async () => {
    const { client, clientSecret } = await register({ name: 'Messngr TV', kind: 'DEVICE' });
    expect(clientSecret).toBeNull();
    expect(client).toMatchObject({ grantTypes: ['DEVICE_CODE', 'REFRESH_TOKEN'], redirectUris: [], hasSecret: false });
    expectError(
      await api.rotateSecret(acme.admin.token, { tenantId: acme.tenant.id, clientId: client.id }),
      'OAUTH_CLIENT_HAS_NO_SECRET',
    );
  });

  it.each<[string, Omit<Parameters<OAuthClientsApi['register']>[1], 'tenantId' | 'name'>, string]>([
    ['an http redirect URI for a web client', { kind: 'PUBLIC', redirectUris: ['http://web.example/cb'] }, 'redirectUris.0'],
    ['a wildcard redirect URI', { kind: 'PUBLIC', redirectUris: ['https://*.example.com/cb'] }, 'redirectUris.0'],
    ['a redirect URI with a fragment', { kind: 'PUBLIC', redirectUris: ['https://web.example/cb#x'] }, 'redirectUris.0'],
    [
      'localhost for a native app',
      { kind: 'PUBLIC', applicationType: 'NATIVE', redirectUris: ['http://localhost:8080/cb'] },
      'redirectUris.0',
    ],
    [
      'a scheme that is no reverse domain',
      { kind: 'PUBLIC', applicationType: 'NATIVE', redirectUris: ['myapp:/cb'] },
      'redirectUris.0',
    ],
    ['client credentials for a public client', { kind: 'PUBLIC', grantTypes: ['CLIENT_CREDENTIALS'] }, 'grantTypes'],
    ['the code flow without a redirect URI', { kind: 'CONFIDENTIAL' }, 'redirectUris'],
    ['an unknown scope', { kind: 'DEVICE', scopes: ['openid', 'admin'] }, 'scopes'],
  ])('refuses %s as BAD_USER_INPUT naming the field, registering nothing', async (_what, input, field) => {
    const before = ok(await api.list(acme.admin.token, { tenantId: acme.tenant.id, first: 100 })).oauthClients.edges.length;
    expectError(
      await api.register(acme.admin.token, { tenantId: acme.tenant.id, name: 'Refused', ...input }),
      'BAD_USER_INPUT',
      field,
    );
    expect(ok(await api.list(acme.admin.token, { tenantId: acme.tenant.id, first: 100 })).oauthClients.edges).toHaveLength(
      before,
    );
  });

  it('updates settings checked whole, publishing the changes; a refused update changes nothing', async () => {
    const { client } = await register({ name: 'Changing', kind: 'PUBLIC', redirectUris: ['https://a.example/cb'] });
    const updated = ok(
      await api.update(acme.admin.token, {
        tenantId: acme.tenant.id,
        clientId: client.id,
        name: 'Changed',
        redirectUris: ['https://a.example/cb', 'https://b.example/cb'],
      }),
    ).updateOAuthClient.client;
    expect(updated).toMatchObject({
      name: 'Changed',
      kind: 'PUBLIC',
      redirectUris: ['https://a.example/cb', 'https://b.example/cb'],
    });
    const event = await waitForEvent(reader, client.id, OAuthClientUpdated.type);
    expect(event.data['changes']).toEqual({
      name: { before: 'Changing', after: 'Changed' },
      redirectUris: { before: ['https://a.example/cb'], after: ['https://a.example/cb', 'https://b.example/cb'] },
    });

    expectError(
      await api.update(acme.admin.token, {
        tenantId: acme.tenant.id,
        clientId: client.id,
        redirectUris: ['http://a.example/cb'],
      }),
      'BAD_USER_INPUT',
      'redirectUris.0',
    );
    const listed = ok(await api.list(acme.admin.token, { tenantId: acme.tenant.id, first: 100 })).oauthClients.edges.map(
      (e) => e.node,
    );
    expect(listed.find((c) => c.id === client.id)).toEqual(updated);
  });

  it('removes a client: no longer listed, no longer changeable, with an event', async () => {
    const { client } = await register({ name: 'Leaving', kind: 'DEVICE' });
    expect(ok(await api.remove(acme.admin.token, { tenantId: acme.tenant.id, clientId: client.id })).removeOAuthClient).toEqual({
      removedClientId: client.id,
    });
    await waitForEvent(reader, client.id, OAuthClientRemoved.type);
    const listed = ok(await api.list(acme.admin.token, { tenantId: acme.tenant.id, first: 100 })).oauthClients.edges;
    expect(listed.map((edge) => edge.node.id)).not.toContain(client.id);
    expectError(await api.update(acme.admin.token, { tenantId: acme.tenant.id, clientId: client.id, name: 'Back' }), 'NOT_FOUND');
    expectError(await api.remove(acme.admin.token, { tenantId: acme.tenant.id, clientId: client.id }), 'NOT_FOUND');
  });

  it('lists in cursor pages, oldest first', async () => {
    const all = ok(await api.list(acme.admin.token, { tenantId: acme.tenant.id, first: 100 })).oauthClients.edges.map(
      (e) => e.node.id,
    );
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect([...all].sort()).toEqual(all);
    const first = ok(await api.list(acme.admin.token, { tenantId: acme.tenant.id, first: 2 })).oauthClients;
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = ok(
      await api.list(acme.admin.token, { tenantId: acme.tenant.id, first: 100, after: first.pageInfo.endCursor }),
    ).oauthClients;
    expect([...first.edges, ...second.edges].map((edge) => edge.node.id)).toEqual(all);
  });

  it('lets nobody but the tenant’s administrators see or change its clients', async () => {
    const { client } = await register({ name: 'Guarded', kind: 'DEVICE' });
    const target = { tenantId: acme.tenant.id, clientId: client.id };
    for (const [token, code] of [
      [acme.member.token, 'FORBIDDEN'],
      [other.admin.token, 'FORBIDDEN'],
      [undefined, 'UNAUTHENTICATED'],
    ] as const) {
      expectError(await api.list(token, { tenantId: acme.tenant.id }), code);
      expectError(await api.register(token, { tenantId: acme.tenant.id, name: 'Intruder', kind: 'DEVICE' }), code);
      expectError(await api.update(token, { ...target, name: 'Hijacked' }), code);
      expectError(await api.rotateSecret(token, target), code);
      expectError(await api.remove(token, target), code);
    }
    // Another tenant's administrator, naming their own tenant, does not find it either.
    expectError(
      await api.update(other.admin.token, { tenantId: other.tenant.id, clientId: client.id, name: 'Hijacked' }),
      'NOT_FOUND',
    );
    const listed = ok(await api.list(acme.admin.token, { tenantId: acme.tenant.id, first: 100 })).oauthClients.edges;
    expect(listed.find((edge) => edge.node.id === client.id)?.node.name).toBe('Guarded');
  });
});
