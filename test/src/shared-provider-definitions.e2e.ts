import { randomBytes, randomInt } from 'node:crypto';
import { producerTopic, providerSecretTransportContext, type ProviderConnectionData } from '@messngr/contracts';
import { parseEncryptionKeys, PLATFORM_TENANT, SecretBox, type Clock } from '@messngr/kit/core';
import { createLogger } from '@messngr/kit/logging';
import { startSubgraph, type RunningSubgraph } from '@messngr/kit/subgraph';
import { tenantSubgraph } from '@messngr/tenant';
import type { TenantConfig } from '@messngr/tenant/src/config';
import { eventually } from './harness/eventually';
import { TEST_OUTBOUND_NETWORKS, useStack } from './harness/stack';
import {
  eventsWithKey,
  expectError,
  ok,
  tenantApi,
  tenantWithPeople,
  unique,
  waitForEvent,
  type EventView,
  type TenantFixture,
} from './harness/tenant-api';
import { useTopicReader } from './harness/topic-reader';

type Input = Record<string, unknown>;
type TenantInstance = RunningSubgraph<ReturnType<(typeof tenantSubgraph)['dependencies']>>;

const BUILT_IN = ['idp_shared_facebook', 'idp_shared_github', 'idp_shared_google_workspace'];

const GITHUB = {
  kind: 'OAUTH2',
  displayName: 'GitHub',
  badgeKey: 'github',
  personal: true,
  configuration: {
    issuer: null,
    authorizationEndpoint: 'https://github.com/login/oauth/authorize',
    tokenEndpoint: 'https://github.com/login/oauth/access_token',
    userinfoEndpoint: 'https://api.github.com/user',
    scopes: ['read:user', 'user:email'],
    claimMapping: { subject: 'id', username: 'login', name: 'name', email: 'email', emailVerified: null },
    pkceRequired: true,
    requiredHostedDomain: null,
  },
};
const GOOGLE_WORKSPACE = {
  kind: 'OIDC',
  displayName: 'Google Workspace',
  badgeKey: 'google',
  personal: false,
  configuration: {
    issuer: 'https://accounts.google.com',
    useDiscovery: true,
    authorizationEndpoint: null,
    scopes: ['openid', 'email', 'profile'],
    claimMapping: { subject: 'sub', email: 'email', emailVerified: 'email_verified', name: 'name', username: null },
    pkceRequired: true,
    requiredHostedDomain: null,
  },
};
const FACEBOOK = {
  kind: 'OAUTH2',
  displayName: 'Facebook',
  badgeKey: 'facebook',
  personal: true,
  configuration: {
    authorizationEndpoint: 'https://www.facebook.com/v19.0/dialog/oauth',
    tokenEndpoint: 'https://graph.facebook.com/v19.0/oauth/access_token',
    userinfoEndpoint: 'https://graph.facebook.com/me?fields=id,name,email',
    scopes: ['public_profile', 'email'],
    claimMapping: { subject: 'id', name: 'name', email: 'email', username: null, emailVerified: null },
    requiredHostedDomain: null,
  },
};

/** A provider with every configuration field, `requiredHostedDomain` among them. */
const FIELDS = `id tenantId kind displayName badgeKey enabled personal isDefault sharedDefinitionId
  configuration {
    issuer useDiscovery authorizationEndpoint tokenEndpoint userinfoEndpoint jwksUri clientId hasClientSecret scopes
    pkceRequired requiredHostedDomain claimMapping { subject email emailVerified name username }
  }`;

interface Provider {
  id: string;
  tenantId: string | null;
  kind: string;
  displayName: string;
  enabled: boolean;
  personal: boolean;
  sharedDefinitionId: string | null;
  configuration: (Record<string, unknown> & { requiredHostedDomain: string | null; hasClientSecret: boolean }) | null;
}

function about(event: EventView, providerId: string): boolean {
  return (event.data['identityProvider'] as { id?: string } | undefined)?.id === providerId;
}

function connectionOf(event: EventView): ProviderConnectionData {
  return event.data['connection'] as ProviderConnectionData;
}

/**
 * The shared definitions the platform ships (GitHub, Google Workspace, Facebook): there after
 * start, registered and published once however many instances start or restart, enabled by
 * tenants with their own client credentials, and Google Workspace restricted to one domain.
 */
describe('built-in shared provider definitions', () => {
  const env = useStack();
  const api = tenantApi(env);
  const reader = useTopicReader([producerTopic('tenant')]);
  let org: TenantFixture;

  async function call<Data>(query: string, input: Input, token: string) {
    const response = await env.stack.graphql<Data>(query, { input }, token);
    api.transcript.push(JSON.stringify(response));
    return response;
  }
  const register = (input: Input, token: string) =>
    call<{ registerIdentityProvider: { identityProvider: Provider } }>(
      `mutation ($input: RegisterIdentityProviderInput!) { registerIdentityProvider(input: $input) { identityProvider { ${FIELDS} } } }`,
      input,
      token,
    );
  const update = (input: Input, token: string) =>
    call<{ updateIdentityProvider: { identityProvider: Provider } }>(
      `mutation ($input: UpdateIdentityProviderInput!) { updateIdentityProvider(input: $input) { identityProvider { ${FIELDS} } } }`,
      input,
      token,
    );
  async function shared(token: string): Promise<Provider[]> {
    const response = await env.stack.graphql<{ sharedIdentityProviders: Provider[] }>(
      `{ sharedIdentityProviders { ${FIELDS} } }`,
      {},
      token,
    );
    return ok(response).sharedIdentityProviders;
  }

  /** Opens a provider event's client secret as the identity subgraph does. */
  function openedSecret(event: EventView, providerId: string): string {
    const sealed = connectionOf(event).sealedClientSecret;
    if (!sealed) throw new Error(`event ${event.id} carries no sealed client secret`);
    return new SecretBox(parseEncryptionKeys(env.stack.secrets.PROVIDER_SECRETS_KEYS)).open(
      sealed,
      providerSecretTransportContext(providerId),
    );
  }

  beforeAll(async () => {
    org = await tenantWithPeople(env, api);
  });

  it('exist after start and are listed by sharedIdentityProviders, in full for platform admins', async () => {
    const listed = await shared(env.adminToken);
    const builtIn = listed.filter((provider) => BUILT_IN.includes(provider.id));
    expect(builtIn.map((provider) => provider.id)).toEqual(BUILT_IN);
    const byId = Object.fromEntries(builtIn.map((provider) => [provider.id, provider]));
    for (const provider of builtIn) {
      expect(provider).toMatchObject({ tenantId: null, enabled: true, isDefault: false, sharedDefinitionId: null });
      expect(provider.configuration).toMatchObject({ clientId: null, hasClientSecret: false });
    }
    expect(byId['idp_shared_github']).toMatchObject(GITHUB);
    expect(byId['idp_shared_google_workspace']).toMatchObject(GOOGLE_WORKSPACE);
    expect(byId['idp_shared_facebook']).toMatchObject(FACEBOOK);

    // Tenant admins choose from them too; the configuration is the platform's.
    const seenByTenant = (await shared(org.admin.token)).filter((provider) => BUILT_IN.includes(provider.id));
    expect(seenByTenant.map((provider) => [provider.id, provider.displayName, provider.configuration])).toEqual([
      ['idp_shared_facebook', 'Facebook', null],
      ['idp_shared_github', 'GitHub', null],
      ['idp_shared_google_workspace', 'Google Workspace', null],
    ]);
  });

  it('are published as registered under the platform tenant, by the system, without credentials', async () => {
    for (const id of BUILT_IN) {
      const event = await waitForEvent(reader, PLATFORM_TENANT.id, 'tenant.identity_provider.registered', (e) => about(e, id));
      expect(event).toMatchObject({ subject: PLATFORM_TENANT.id, tenantid: PLATFORM_TENANT.id, actortype: 'system' });
      expect(event.data['identityProvider']).toMatchObject({ id, tenantId: null, enabled: true });
      expect(connectionOf(event)).toMatchObject({ clientId: null, sealedClientSecret: null, requiredHostedDomain: null });
    }
    const github = await waitForEvent(reader, PLATFORM_TENANT.id, 'tenant.identity_provider.registered', (e) =>
      about(e, 'idp_shared_github'),
    );
    expect(connectionOf(github)).toMatchObject({
      authorizationEndpoint: GITHUB.configuration.authorizationEndpoint,
      tokenEndpoint: GITHUB.configuration.tokenEndpoint,
      userinfoEndpoint: GITHUB.configuration.userinfoEndpoint,
      scopes: GITHUB.configuration.scopes,
      claimMapping: GITHUB.configuration.claimMapping,
    });
  });

  it('let a tenant enable GitHub with its own client credentials: the copy has the definition’s endpoints and mapping', async () => {
    const secret = `gh-secret-${randomBytes(12).toString('hex')}`;
    env.stack.handledSecrets.add(secret);
    const copy = ok(
      await register(
        { tenantId: org.tenant.id, sharedDefinitionId: 'idp_shared_github', clientId: 'Iv1.tenant-own', clientSecret: secret },
        org.admin.token,
      ),
    ).registerIdentityProvider.identityProvider;

    expect(copy.id).toMatch(/^idp_/);
    expect(copy.id).not.toBe('idp_shared_github');
    expect(copy).toMatchObject({
      ...GITHUB,
      tenantId: org.tenant.id,
      sharedDefinitionId: 'idp_shared_github',
      enabled: true,
      isDefault: false,
      configuration: { ...GITHUB.configuration, clientId: 'Iv1.tenant-own', hasClientSecret: true },
    });
    const tenant = ok(await api.tenant(org.tenant.id, org.admin.token)).tenant!;
    expect(tenant.identityProviders.map((provider) => provider.id)).toContain(copy.id);

    const event = await waitForEvent(reader, org.tenant.id, 'tenant.identity_provider.registered', (e) => about(e, copy.id));
    expect(event.data['identityProvider']).toMatchObject({
      id: copy.id,
      tenantId: org.tenant.id,
      kind: 'OAUTH2',
      personal: true,
    });
    expect(connectionOf(event)).toMatchObject({
      authorizationEndpoint: GITHUB.configuration.authorizationEndpoint,
      tokenEndpoint: GITHUB.configuration.tokenEndpoint,
      userinfoEndpoint: GITHUB.configuration.userinfoEndpoint,
      clientId: 'Iv1.tenant-own',
      scopes: GITHUB.configuration.scopes,
      claimMapping: GITHUB.configuration.claimMapping,
      requiredHostedDomain: null,
    });
    expect(openedSecret(event, copy.id)).toBe(secret);
    // The definition itself is untouched: still without credentials.
    const definition = (await shared(env.adminToken)).find((provider) => provider.id === 'idp_shared_github');
    expect(definition?.configuration).toMatchObject({ clientId: null, hasClientSecret: false });
  });

  it('let a tenant restrict its copy of Google Workspace to its domain, change and lift the restriction', async () => {
    const copy = ok(
      await register(
        {
          tenantId: org.tenant.id,
          sharedDefinitionId: 'idp_shared_google_workspace',
          clientId: 'tenant-own.apps.googleusercontent.com',
          clientSecret: unique('google-secret').replace(' ', '-'),
          requiredHostedDomain: ' Example.COM ',
        },
        org.admin.token,
      ),
    ).registerIdentityProvider.identityProvider;
    expect(copy).toMatchObject({
      ...GOOGLE_WORKSPACE,
      sharedDefinitionId: 'idp_shared_google_workspace',
      configuration: {
        ...GOOGLE_WORKSPACE.configuration,
        clientId: 'tenant-own.apps.googleusercontent.com',
        requiredHostedDomain: 'example.com',
      },
    });
    const registered = await waitForEvent(reader, org.tenant.id, 'tenant.identity_provider.registered', (e) => about(e, copy.id));
    expect(connectionOf(registered)).toMatchObject({
      issuer: 'https://accounts.google.com',
      requiredHostedDomain: 'example.com',
    });

    const changed = ok(await update({ id: copy.id, requiredHostedDomain: 'corp.example.org' }, org.admin.token))
      .updateIdentityProvider.identityProvider;
    expect(changed.configuration?.requiredHostedDomain).toBe('corp.example.org');
    const updated = await waitForEvent(reader, org.tenant.id, 'tenant.identity_provider.updated', (e) => about(e, copy.id));
    expect(updated.data['changes']).toEqual({ requiredHostedDomain: { before: 'example.com', after: 'corp.example.org' } });
    expect(connectionOf(updated).requiredHostedDomain).toBe('corp.example.org');

    // Omitted, it stays; null lifts it.
    const renamed = ok(await update({ id: copy.id, displayName: 'Example Workspace' }, org.admin.token)).updateIdentityProvider
      .identityProvider;
    expect(renamed.configuration?.requiredHostedDomain).toBe('corp.example.org');
    const lifted = ok(await update({ id: copy.id, requiredHostedDomain: null }, org.admin.token)).updateIdentityProvider
      .identityProvider;
    expect(lifted.configuration?.requiredHostedDomain).toBeNull();
    const liftedEvent = await waitForEvent(
      reader,
      org.tenant.id,
      'tenant.identity_provider.updated',
      (e) =>
        about(e, copy.id) &&
        'requiredHostedDomain' in (e.data['changes'] as object) &&
        connectionOf(e).requiredHostedDomain === null,
    );
    expect(liftedEvent.data['changes']).toEqual({ requiredHostedDomain: { before: 'corp.example.org', after: null } });
  });

  it('refuse a required hosted domain on GitHub, on a shared definition, and when it is not a DNS name', async () => {
    const providersBefore = ok(await api.tenant(org.tenant.id, org.admin.token)).tenant!.identityProviders.length;
    const github = {
      tenantId: org.tenant.id,
      sharedDefinitionId: 'idp_shared_github',
      clientId: 'c',
      clientSecret: 's3cret-e2e',
    };
    expectError(
      await register({ ...github, requiredHostedDomain: 'example.com' }, org.admin.token),
      'BAD_USER_INPUT',
      'requiredHostedDomain',
    );
    const google = { ...github, sharedDefinitionId: 'idp_shared_google_workspace' };
    for (const domain of ['https://example.com', 'someone@example.com', 'localhost', 'example.com.', '10.0.0.1']) {
      expectError(
        await register({ ...google, requiredHostedDomain: domain }, org.admin.token),
        'BAD_USER_INPUT',
        'requiredHostedDomain',
      );
    }
    // A domain belongs to a tenant's copy, not to the platform's definition.
    expectError(
      await update({ id: 'idp_shared_google_workspace', requiredHostedDomain: 'example.com' }, env.adminToken),
      'BAD_USER_INPUT',
      'requiredHostedDomain',
    );
    expect(ok(await api.tenant(org.tenant.id, org.admin.token)).tenant!.identityProviders).toHaveLength(providersBefore);
    const definition = (await shared(env.adminToken)).find((provider) => provider.id === 'idp_shared_google_workspace');
    expect(definition?.configuration?.requiredHostedDomain).toBeNull();
  });

  describe('when tenant subgraphs start again, or several at once', () => {
    const instances: TenantInstance[] = [];

    /** Another tenant subgraph process on `database`, with its own clock: its events carry that time. */
    function startTenantInstance(database: string, clock: Clock): Promise<TenantInstance> {
      const { secrets } = env.stack;
      const config: TenantConfig = {
        service: 'tenant',
        host: '127.0.0.1',
        port: 0,
        nodeEnv: 'test',
        production: false,
        logLevel: 'warn',
        mongoUri: process.env['MONGODB_URI']!,
        mongoDatabase: database,
        kafkaBrokers: process.env['KAFKA_BROKERS']!.split(','),
        kafkaGroupId: `e2e-${randomBytes(4).toString('hex')}-tenant`,
        assertionPublicKey: secrets.GATEWAY_ASSERTION_PUBLIC_KEY,
        encryptionKeys: parseEncryptionKeys(secrets.SECRETS_ENCRYPTION_KEYS),
        providerSecretsKeys: parseEncryptionKeys(secrets.PROVIDER_SECRETS_KEYS),
        outboundAllowedNetworks: TEST_OUTBOUND_NETWORKS,
      };
      const logger = createLogger({ service: 'tenant', level: 'warn', destination: env.stack.logs });
      return startSubgraph(tenantSubgraph, config, { logger, clock }).then((instance) => {
        instances.push(instance);
        return instance;
      });
    }

    /** A moment no other stack's events carry: events stamped with it come from the instances started with it. */
    function distinctClock(): { clock: Clock; time: string } {
      const at = new Date(Date.UTC(2001, 0, 1) + randomInt(2 ** 40));
      return { clock: { now: () => new Date(at) }, time: at.toISOString() };
    }

    /**
     * Registered events of the built-in definitions stamped `time`, once every event keyed by the
     * platform tenant before now has been read (a marker on the same partition comes after them).
     */
    async function seedEventsAt(time: string): Promise<Record<string, number>> {
      const markerInput = { kind: 'OIDC', displayName: unique('Marker'), issuer: 'https://login.example.com' };
      const marker = ok(await register(markerInput, env.adminToken)).registerIdentityProvider.identityProvider;
      await waitForEvent(reader, PLATFORM_TENANT.id, 'tenant.identity_provider.registered', (e) => about(e, marker.id));
      const counts = Object.fromEntries(BUILT_IN.map((id) => [id, 0]));
      for (const event of eventsWithKey(reader, PLATFORM_TENANT.id)) {
        if (event.type !== 'tenant.identity_provider.registered' || (event as { time?: string }).time !== time) continue;
        const id = (event.data['identityProvider'] as { id: string }).id;
        if (id in counts) counts[id]! += 1;
      }
      return counts;
    }

    async function drained(instance: TenantInstance): Promise<void> {
      await eventually(async () => {
        for (const id of BUILT_IN) {
          const definition = await instance.deps.sharedProviders.findById(id);
          expect(definition?.pendingEvents).toEqual([]);
        }
      });
    }

    afterAll(async () => {
      await Promise.all(instances.map((instance) => instance.stop()));
    });

    it('two instances starting at once on a new database register and publish each definition once', async () => {
      const database = `${env.stack.databases.tenant}_fresh_${randomBytes(3).toString('hex')}`;
      const { clock, time } = distinctClock();
      const [first, second] = await Promise.all([startTenantInstance(database, clock), startTenantInstance(database, clock)]);
      await Promise.all([drained(first!), drained(second!)]);

      for (const id of BUILT_IN) {
        const definition = await first!.deps.sharedProviders.findById(id);
        expect(definition).toMatchObject({ _id: id, removed: false, createdAt: new Date(time) });
      }
      expect((await second!.deps.sharedProviders.list()).map((definition) => definition._id)).toEqual(BUILT_IN);
      expect(await seedEventsAt(time)).toEqual(Object.fromEntries(BUILT_IN.map((id) => [id, 1])));
      await first!.runtime.connection.dropDatabase().catch(() => undefined);
    });

    it('a restart registers nothing again and keeps what platform administrators changed', async () => {
      const renamed = unique('Facebook');
      ok(await update({ id: 'idp_shared_facebook', displayName: renamed }, env.adminToken));
      const running = env.stack.services.tenant.deps.sharedProviders;
      await eventually(async () => expect((await running.findById('idp_shared_facebook'))?.pendingEvents).toEqual([]));
      const before = await Promise.all(BUILT_IN.map((id) => running.findById(id)));

      const { clock, time } = distinctClock();
      const restarted = await startTenantInstance(env.stack.databases.tenant, clock);
      await drained(restarted);

      expect(await Promise.all(BUILT_IN.map((id) => running.findById(id)))).toEqual(before);
      expect((await shared(env.adminToken)).find((provider) => provider.id === 'idp_shared_facebook')?.displayName).toBe(renamed);
      expect(await seedEventsAt(time)).toEqual(Object.fromEntries(BUILT_IN.map((id) => [id, 0])));
      ok(await update({ id: 'idp_shared_facebook', displayName: 'Facebook' }, env.adminToken));
    });
  });
});
