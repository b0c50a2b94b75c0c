import { randomBytes } from 'node:crypto';
import { producerTopic, providerSecretTransportContext, type ProviderConnectionData } from '@messngr/contracts';
import { asTenantId, parseEncryptionKeys, PLATFORM_TENANT, SecretBox } from '@messngr/kit/core';
import { eventually } from './harness/eventually';
import { freePort } from './harness/free-port';
import { startOpenIdProvider } from './harness/openid-provider';
import { useStack } from './harness/stack';
import {
  eventsWithKey,
  expectError,
  ok,
  tenantApi,
  tenantWithPeople,
  unique,
  waitForEvent,
  type As,
  type EventView,
  type ProviderView,
  type TenantFixture,
} from './harness/tenant-api';
import { useTopicReader } from './harness/topic-reader';

type Input = Record<string, unknown>;

const GITHUB = {
  authorizationEndpoint: 'https://github.com/login/oauth/authorize',
  tokenEndpoint: 'https://github.com/login/oauth/access_token',
  userinfoEndpoint: 'https://api.github.com/user',
};

/** An OIDC provider by discovery; `extra` overrides or adds fields. */
function oidcInput(tenantId: string, extra: Input = {}): Input {
  return {
    tenantId,
    kind: 'OIDC',
    displayName: unique('Corp SSO'),
    issuer: 'https://login.example.com',
    clientId: 'messngr-e2e',
    ...extra,
  };
}

/** An OIDC provider with explicit endpoints. */
function explicitOidcInput(tenantId: string, extra: Input = {}): Input {
  return oidcInput(tenantId, {
    useDiscovery: false,
    authorizationEndpoint: 'https://login.example.com/authorize',
    tokenEndpoint: 'https://login.example.com/token',
    userinfoEndpoint: 'https://login.example.com/userinfo',
    jwksUri: 'https://login.example.com/jwks',
    ...extra,
  });
}

/** A GitHub-like OAuth 2.0 provider. */
function oauth2Input(tenantId: string, extra: Input = {}): Input {
  return {
    tenantId,
    kind: 'OAUTH2',
    displayName: 'GitHub',
    badgeKey: 'github',
    ...GITHUB,
    clientId: 'Iv1.e2e',
    claimMapping: { subject: 'id', username: 'login', email: 'email' },
    personal: true,
    ...extra,
  };
}

/** Whether a provider event is about this provider (provider events belong to the tenant: subject and key are its id). */
function about(event: EventView, providerId: string): boolean {
  return (event.data['identityProvider'] as { id?: string } | undefined)?.id === providerId;
}

/** `data.connection` of a provider event. */
function connectionOf(event: EventView): ProviderConnectionData | null | undefined {
  return event.data['connection'] as ProviderConnectionData | null | undefined;
}

function without(input: Input, ...keys: string[]): Input {
  return Object.fromEntries(Object.entries(input).filter(([key]) => !keys.includes(key)));
}

/**
 * Sign-in providers through the gateway: registering tenant providers and shared definitions,
 * changing, enabling, disabling, removing them, the one-default invariant (under concurrency
 * too), checking them against a real OpenID provider, who sees their configuration, the events
 * they publish — and that a client secret is never given back, published or logged.
 */
describe('identity providers', () => {
  const env = useStack();
  const api = tenantApi(env);
  const reader = useTopicReader([producerTopic('tenant')]);
  let org: TenantFixture;
  let other: TenantFixture;

  /** A tenant whose policy allows every kind and personal providers, so only the provider rules apply. */
  async function openTenant(): Promise<TenantFixture> {
    const fixture = await tenantWithPeople(env, api);
    ok(
      await api.updatePolicy({
        tenantId: fixture.tenant.id,
        allowedProviderKinds: ['NATIVE', 'OIDC', 'OAUTH2'],
        allowPersonalProviders: true,
      }),
    );
    return fixture;
  }

  async function register(input: Input, as: As): Promise<ProviderView> {
    return ok(await api.registerProvider(input, as)).registerIdentityProvider.identityProvider;
  }

  /** Opens a provider event's client secret as the identity subgraph does: PROVIDER_SECRETS_KEYS, bound to the provider. */
  function openedSecret(event: EventView, providerId = (event.data['identityProvider'] as { id: string }).id): string {
    const sealed = connectionOf(event)?.sealedClientSecret;
    if (!sealed) throw new Error(`event ${event.id} carries no sealed client secret`);
    const box = new SecretBox(parseEncryptionKeys(env.stack.secrets.PROVIDER_SECRETS_KEYS));
    return box.open(sealed, providerSecretTransportContext(providerId));
  }

  async function tenantAsAdmin(tenantId: string) {
    const tenant = ok(await api.tenant(tenantId)).tenant;
    if (!tenant) throw new Error(`tenant ${tenantId} not found`);
    return tenant;
  }

  beforeAll(async () => {
    [org, other] = await Promise.all([openTenant(), openTenant()]);
  });

  describe('registerIdentityProvider', () => {
    it('registers an OIDC provider by discovery, with defaults, and always requests openid', async () => {
      const input = oidcInput(org.tenant.id, { scopes: ['email', 'profile'], clientSecret: unique('s') });
      const provider = await register(input, org.admin.token);

      expect(provider.id).toMatch(/^idp_/);
      expect(provider).toMatchObject({
        tenantId: org.tenant.id,
        kind: 'OIDC',
        displayName: input['displayName'],
        badgeKey: 'generic',
        enabled: true,
        personal: false,
        isDefault: false,
        sharedDefinitionId: null,
        configuration: {
          issuer: 'https://login.example.com',
          useDiscovery: true,
          clientId: 'messngr-e2e',
          hasClientSecret: true,
          pkceRequired: true,
          claimMapping: { subject: 'sub' },
        },
      });
      expect([...provider.configuration!.scopes].sort()).toEqual(['email', 'openid', 'profile']);

      const tenant = await tenantAsAdmin(org.tenant.id);
      expect(tenant.identityProviders.map((p) => p.id)).toContain(provider.id);
      expect(tenant.defaultIdentityProvider.id).toBe(org.tenant.defaultIdentityProvider.id);

      const event = await waitForEvent(reader, org.tenant.id, 'tenant.identity_provider.registered', (e) =>
        about(e, provider.id),
      );
      expect(event).toMatchObject({ key: org.tenant.id, subject: org.tenant.id, tenantid: org.tenant.id });
      expect(event.data['identityProvider']).toEqual({
        id: provider.id,
        tenantId: org.tenant.id,
        kind: 'OIDC',
        displayName: input['displayName'],
        badgeKey: 'generic',
        enabled: true,
        personal: false,
      });
      // How the identity subgraph reaches it, the client secret sealed for it alone.
      expect(connectionOf(event)).toMatchObject({
        issuer: 'https://login.example.com',
        useDiscovery: true,
        authorizationEndpoint: null,
        clientId: 'messngr-e2e',
        claimMapping: { subject: 'sub' },
        pkceRequired: true,
        sealedClientSecret: { keyId: expect.any(String), iv: expect.any(String), tag: expect.any(String) },
      });
      expect([...connectionOf(event)!.scopes].sort()).toEqual(['email', 'openid', 'profile']);
      expect(openedSecret(event)).toBe(input['clientSecret']);
    });

    it('registers an OIDC provider with explicit endpoints when discovery is off', async () => {
      const provider = await register(explicitOidcInput(org.tenant.id, { pkceRequired: false }), org.admin.token);
      expect(provider.configuration).toMatchObject({
        useDiscovery: false,
        authorizationEndpoint: 'https://login.example.com/authorize',
        tokenEndpoint: 'https://login.example.com/token',
        userinfoEndpoint: 'https://login.example.com/userinfo',
        jwksUri: 'https://login.example.com/jwks',
        hasClientSecret: false,
        pkceRequired: false,
        scopes: ['openid'],
      });
    });

    it('registers an OAuth 2.0 provider with its user endpoint and subject mapping', async () => {
      const provider = await register(oauth2Input(org.tenant.id), org.admin.token);
      expect(provider).toMatchObject({ kind: 'OAUTH2', displayName: 'GitHub', badgeKey: 'github', personal: true });
      expect(provider.configuration).toMatchObject({
        ...GITHUB,
        clientId: 'Iv1.e2e',
        claimMapping: { subject: 'id', username: 'login', email: 'email', name: null },
      });
      expect(provider.configuration!.scopes).not.toContain('openid');
    });

    it('registers a provider disabled when asked', async () => {
      const provider = await register(oidcInput(org.tenant.id, { enabled: false }), org.admin.token);
      expect(provider).toMatchObject({ enabled: false, isDefault: false });
    });

    it.each<[string, string, (tenantId: string) => Input]>([
      ['an OIDC provider without issuer', 'issuer', (t) => without(oidcInput(t), 'issuer')],
      ['an http issuer that is not loopback', 'issuer', (t) => oidcInput(t, { issuer: 'http://login.example.com' })],
      ['an issuer that is not a URL', 'issuer', (t) => oidcInput(t, { issuer: 'not a url' })],
      ['an OIDC provider without client id', 'clientId', (t) => without(oidcInput(t), 'clientId')],
      [
        'no discovery and no authorization endpoint',
        'authorizationEndpoint',
        (t) => without(explicitOidcInput(t), 'authorizationEndpoint'),
      ],
      ['no discovery and no token endpoint', 'tokenEndpoint', (t) => without(explicitOidcInput(t), 'tokenEndpoint')],
      ['no discovery and no JWKS URL', 'jwksUri', (t) => without(explicitOidcInput(t), 'jwksUri')],
      ['an OAuth 2.0 provider without user endpoint', 'userinfoEndpoint', (t) => without(oauth2Input(t), 'userinfoEndpoint')],
      ['an OAuth 2.0 provider without token endpoint', 'tokenEndpoint', (t) => without(oauth2Input(t), 'tokenEndpoint')],
      [
        'an OAuth 2.0 provider without authorization endpoint',
        'authorizationEndpoint',
        (t) => without(oauth2Input(t), 'authorizationEndpoint'),
      ],
      ['an OAuth 2.0 provider without client id', 'clientId', (t) => without(oauth2Input(t), 'clientId')],
      [
        'an OAuth 2.0 provider without subject mapping',
        'claimMapping.subject',
        (t) => oauth2Input(t, { claimMapping: { username: 'login' } }),
      ],
      [
        'an http user endpoint that is not loopback',
        'userinfoEndpoint',
        (t) => oauth2Input(t, { userinfoEndpoint: 'http://api.example.com/user' }),
      ],
      ['an empty display name', 'displayName', (t) => oidcInput(t, { displayName: '' })],
      ['a display name over 60 characters', 'displayName', (t) => oidcInput(t, { displayName: 'D'.repeat(61) })],
      ['an unknown badge', 'badgeKey', (t) => oidcInput(t, { badgeKey: 'myspace' })],
      ['a scope with a space in it', 'scopes', (t) => oidcInput(t, { scopes: ['bad scope'] })],
      ['an empty client secret', 'clientSecret', (t) => oidcInput(t, { clientSecret: '' })],
    ])('refuses %s with BAD_USER_INPUT on %s', async (_label, field, input) => {
      const before = (await tenantAsAdmin(org.tenant.id)).identityProviders.length;
      expectError(await api.registerProvider(input(org.tenant.id), org.admin.token), 'BAD_USER_INPUT', field);
      expect((await tenantAsAdmin(org.tenant.id)).identityProviders).toHaveLength(before);
    });

    it('refuses callers who do not administer the tenant', async () => {
      const input = oidcInput(org.tenant.id);
      expectError(await api.registerProvider(input, null), 'UNAUTHENTICATED');
      expectError(await api.registerProvider(input, org.member.token), 'FORBIDDEN');
      expectError(await api.registerProvider(input, other.admin.token), 'FORBIDDEN');
      const names = (await tenantAsAdmin(org.tenant.id)).identityProviders.map((p) => p.displayName);
      expect(names).not.toContain(input['displayName']);
    });

    it('answers NOT_FOUND for a tenant that does not exist', async () => {
      expectError(await api.registerProvider(oidcInput('ten_doesnotexist')), 'NOT_FOUND');
    });
  });

  describe('shared definitions', () => {
    let definition: ProviderView;
    const displayName = unique('GitHub');

    beforeAll(async () => {
      definition = await register(
        without(oauth2Input('', { displayName, personal: false }), 'tenantId', 'clientId'),
        env.adminToken,
      );
    });

    it('are registered by platform admins without a tenant, and published under the platform tenant', async () => {
      expect(definition).toMatchObject({
        tenantId: null,
        kind: 'OAUTH2',
        displayName,
        badgeKey: 'github',
        sharedDefinitionId: null,
      });
      const event = await waitForEvent(reader, PLATFORM_TENANT.id, 'tenant.identity_provider.registered', (e) =>
        about(e, definition.id),
      );
      expect(event).toMatchObject({ key: PLATFORM_TENANT.id, subject: PLATFORM_TENANT.id, tenantid: PLATFORM_TENANT.id });
      expect(event.data['identityProvider']).toMatchObject({ id: definition.id, tenantId: null, kind: 'OAUTH2', displayName });
      // A shared definition has endpoints but no credentials: each tenant brings its own.
      expect(connectionOf(event)).toMatchObject({
        ...GITHUB,
        clientId: null,
        sealedClientSecret: null,
        claimMapping: { subject: 'id', username: 'login', email: 'email' },
      });
    });

    it('are listed by sharedIdentityProviders and readable by id', async () => {
      for (const token of [env.adminToken, org.admin.token]) {
        const listed = ok(await api.sharedIdentityProviders(token)).sharedIdentityProviders;
        expect(listed.map((p) => p.id)).toContain(definition.id);
        expect(listed.every((p) => p.tenantId === null)).toBe(true);
      }
      expect(ok(await api.identityProvider(definition.id)).identityProvider).toMatchObject({ id: definition.id, displayName });
    });

    it('may not be defined by a tenant admin', async () => {
      const response = await api.registerProvider(
        without(oauth2Input('', { displayName: unique('Sneaky') }), 'tenantId'),
        org.admin.token,
      );
      expectError(response, 'FORBIDDEN');
    });

    it('are enabled by a tenant with its own client credentials', async () => {
      const provider = await register(
        { tenantId: org.tenant.id, sharedDefinitionId: definition.id, clientId: 'org-client', clientSecret: unique('s') },
        org.admin.token,
      );
      expect(provider).toMatchObject({
        tenantId: org.tenant.id,
        sharedDefinitionId: definition.id,
        kind: 'OAUTH2',
        displayName,
        badgeKey: 'github',
        enabled: true,
        isDefault: false,
        configuration: { clientId: 'org-client', hasClientSecret: true, userinfoEndpoint: GITHUB.userinfoEndpoint },
      });
      expect(provider.id).not.toBe(definition.id);
      const event = await waitForEvent(reader, org.tenant.id, 'tenant.identity_provider.registered', (e) =>
        about(e, provider.id),
      );
      expect(event.data['identityProvider']).toMatchObject({ tenantId: org.tenant.id, kind: 'OAUTH2', displayName });
      expect(connectionOf(event)).toMatchObject({ ...GITHUB, clientId: 'org-client' });
    });

    it('answers NOT_FOUND for a definition that does not exist', async () => {
      const response = await api.registerProvider(
        { tenantId: org.tenant.id, sharedDefinitionId: 'idp_doesnotexist', clientId: 'x', clientSecret: 'y' },
        org.admin.token,
      );
      expectError(response, 'NOT_FOUND');
    });
  });

  describe('who sees what', () => {
    let enabled: ProviderView;
    let disabled: ProviderView;

    beforeAll(async () => {
      [enabled, disabled] = await Promise.all([
        register(oidcInput(org.tenant.id, { clientSecret: unique('s') }), org.admin.token),
        register(oidcInput(org.tenant.id, { enabled: false }), org.admin.token),
      ]);
    });

    it('shows administrators every provider with its configuration', async () => {
      for (const token of [env.adminToken, org.admin.token]) {
        const tenant = ok(await api.tenant(org.tenant.id, token)).tenant!;
        const ids = tenant.identityProviders.map((p) => p.id);
        expect(ids).toEqual(expect.arrayContaining([enabled.id, disabled.id]));
        const shown = tenant.identityProviders.find((p) => p.id === enabled.id)!;
        expect(shown.configuration).toMatchObject({ issuer: 'https://login.example.com', hasClientSecret: true });
        expect(ok(await api.identityProvider(disabled.id, token)).identityProvider).toMatchObject({ enabled: false });
      }
    });

    it.each([
      ['anonymous login screens', () => null],
      ['plain members', () => org.member.token],
      ['another tenant’s admin', () => other.admin.token],
    ])('shows %s enabled providers only, without configuration', async (_label, token) => {
      const bySlug = ok(await api.tenantBySlug(org.tenant.slug, token())).tenantBySlug!;
      const byId = ok(await api.tenant(org.tenant.id, token())).tenant!;
      for (const tenant of [bySlug, byId]) {
        const ids = tenant.identityProviders.map((p) => p.id);
        expect(ids).toContain(enabled.id);
        expect(ids).not.toContain(disabled.id);
        expect(tenant.identityProviders.filter((p) => p.configuration !== null)).toEqual([]);
        const shown = tenant.identityProviders.find((p) => p.id === enabled.id)!;
        expect(shown).toMatchObject({ displayName: enabled.displayName, badgeKey: 'generic', enabled: true });
      }
      const single = ok(await api.identityProvider(enabled.id, token())).identityProvider;
      expect(single?.configuration ?? null).toBeNull();
      expect(ok(await api.identityProvider(disabled.id, token())).identityProvider?.configuration ?? null).toBeNull();
    });

    it('answers null for a provider that does not exist', async () => {
      expect(ok(await api.identityProvider('idp_doesnotexist')).identityProvider).toBeNull();
    });
  });

  describe('updateIdentityProvider', () => {
    let provider: ProviderView;

    beforeAll(async () => {
      provider = await register(oidcInput(org.tenant.id), org.admin.token);
    });

    it('changes what is given, keeps the rest, and publishes the changed fields', async () => {
      const displayName = unique('Renamed SSO');
      const updated = ok(
        await api.updateProvider({ id: provider.id, displayName, badgeKey: 'microsoft', scopes: ['profile'] }, org.admin.token),
      ).updateIdentityProvider.identityProvider;
      expect(updated).toMatchObject({ id: provider.id, displayName, badgeKey: 'microsoft' });
      expect(updated.configuration).toMatchObject({ issuer: 'https://login.example.com', clientId: 'messngr-e2e' });
      expect([...updated.configuration!.scopes].sort()).toEqual(['openid', 'profile']);

      const event = await waitForEvent(reader, org.tenant.id, 'tenant.identity_provider.updated', (e) => about(e, provider.id));
      expect(event.data['identityProvider']).toMatchObject({ id: provider.id, tenantId: org.tenant.id, displayName });
      const changes = event.data['changes'] as Record<string, unknown>;
      expect(changes).toMatchObject({
        displayName: { before: provider.displayName, after: displayName },
        badgeKey: { before: 'generic', after: 'microsoft' },
      });
      expect(Object.keys(changes)).not.toContain('issuer');
      expect(Object.keys(changes)).not.toContain('clientId');
    });

    it.each<[string, string, Input]>([
      ['an http issuer that is not loopback', 'issuer', { issuer: 'http://login.example.com' }],
      ['an empty display name', 'displayName', { displayName: '' }],
      ['an unknown badge', 'badgeKey', { badgeKey: 'myspace' }],
      ['a scope with a space in it', 'scopes', { scopes: ['bad scope'] }],
      ['an empty client id', 'clientId', { clientId: '' }],
    ])('refuses %s with BAD_USER_INPUT on %s', async (_label, field, input) => {
      expectError(await api.updateProvider({ id: provider.id, ...input }, org.admin.token), 'BAD_USER_INPUT', field);
    });

    it('refuses callers who do not administer the provider, and answers NOT_FOUND for an unknown one', async () => {
      const input = { id: provider.id, displayName: 'Hijacked' };
      expectError(await api.updateProvider(input, null), 'UNAUTHENTICATED');
      expectError(await api.updateProvider(input, org.member.token), 'FORBIDDEN');
      expectError(await api.updateProvider(input, other.admin.token), 'FORBIDDEN');
      expect(ok(await api.identityProvider(provider.id)).identityProvider?.displayName).not.toBe('Hijacked');
      expectError(await api.updateProvider({ id: 'idp_doesnotexist', displayName: 'x' }), 'NOT_FOUND');
    });
  });

  describe('required hosted domain', () => {
    const FIELDS = `id kind configuration { issuer requiredHostedDomain }`;
    type Restricted = { id: string; kind: string; configuration: { issuer: string | null; requiredHostedDomain: string | null } };

    const registerRestricted = (input: Input, as: As = org.admin.token) =>
      env.stack.graphql<{ registerIdentityProvider: { identityProvider: Restricted } }>(
        `mutation ($input: RegisterIdentityProviderInput!) { registerIdentityProvider(input: $input) { identityProvider { ${FIELDS} } } }`,
        { input },
        as ?? undefined,
      );
    const updateRestricted = (input: Input, as: As = org.admin.token) =>
      env.stack.graphql<{ updateIdentityProvider: { identityProvider: Restricted } }>(
        `mutation ($input: UpdateIdentityProviderInput!) { updateIdentityProvider(input: $input) { identityProvider { ${FIELDS} } } }`,
        { input },
        as ?? undefined,
      );

    it('is none unless set, is stored lower-cased on an OIDC provider, published in the connection, changed and cleared', async () => {
      const plain = ok(await registerRestricted(oidcInput(org.tenant.id))).registerIdentityProvider.identityProvider;
      expect(plain.configuration.requiredHostedDomain).toBeNull();
      const plainEvent = await waitForEvent(reader, org.tenant.id, 'tenant.identity_provider.registered', (e) =>
        about(e, plain.id),
      );
      expect(connectionOf(plainEvent)?.requiredHostedDomain).toBeNull();

      const restricted = ok(await registerRestricted(oidcInput(org.tenant.id, { requiredHostedDomain: 'Corp.Example.COM' })))
        .registerIdentityProvider.identityProvider;
      expect(restricted.configuration.requiredHostedDomain).toBe('corp.example.com');
      const registered = await waitForEvent(reader, org.tenant.id, 'tenant.identity_provider.registered', (e) =>
        about(e, restricted.id),
      );
      expect(connectionOf(registered)?.requiredHostedDomain).toBe('corp.example.com');

      const changed = ok(await updateRestricted({ id: restricted.id, requiredHostedDomain: 'example.org' }))
        .updateIdentityProvider.identityProvider;
      expect(changed.configuration.requiredHostedDomain).toBe('example.org');
      const updated = await waitForEvent(reader, org.tenant.id, 'tenant.identity_provider.updated', (e) =>
        about(e, restricted.id),
      );
      expect(updated.data['changes']).toEqual({ requiredHostedDomain: { before: 'corp.example.com', after: 'example.org' } });
      expect(connectionOf(updated)?.requiredHostedDomain).toBe('example.org');

      const kept = ok(await updateRestricted({ id: restricted.id, displayName: unique('Still Restricted') }))
        .updateIdentityProvider.identityProvider;
      expect(kept.configuration.requiredHostedDomain).toBe('example.org');
      const cleared = ok(await updateRestricted({ id: restricted.id, requiredHostedDomain: null })).updateIdentityProvider
        .identityProvider;
      expect(cleared.configuration.requiredHostedDomain).toBeNull();
    });

    it('reads as none, and publishes no made-up change, for a provider stored before it existed', async () => {
      const provider = ok(await registerRestricted(oidcInput(org.tenant.id))).registerIdentityProvider.identityProvider;
      // What a provider written before this field looks like in the database.
      await env.stack.services.tenant.deps.tenants.change(asTenantId(org.tenant.id), (current) => ({
        changes: {
          identityProviders: current.identityProviders.map((stored) => {
            if (stored.id !== provider.id) return stored;
            const { requiredHostedDomain: _dropped, ...older } = stored;
            return older;
          }),
        },
        events: [],
      }));
      const stored = await env.stack.services.tenant.deps.tenants.findByProviderId(provider.id);
      expect(stored?.identityProviders.find((p) => p.id === provider.id)).not.toHaveProperty('requiredHostedDomain');
      expect(ok(await api.identityProvider(provider.id, org.admin.token)).identityProvider).not.toBeNull();
      const read = await env.stack.graphql<{ identityProvider: Restricted }>(
        `query ($id: ID!) { identityProvider(id: $id) { ${FIELDS} } }`,
        { id: provider.id },
        org.admin.token,
      );
      expect(ok(read).identityProvider.configuration.requiredHostedDomain).toBeNull();

      const displayName = unique('Older SSO');
      ok(await updateRestricted({ id: provider.id, displayName }));
      const event = await waitForEvent(
        reader,
        org.tenant.id,
        'tenant.identity_provider.updated',
        (e) => about(e, provider.id) && (e.data['identityProvider'] as { displayName: string }).displayName === displayName,
      );
      expect(Object.keys(event.data['changes'] as object)).toEqual(['displayName']);
      expect(connectionOf(event)?.requiredHostedDomain).toBeNull();
    });

    it.each<[string, (tenantId: string) => Input]>([
      ['an OAuth 2.0 provider', (t) => oauth2Input(t, { requiredHostedDomain: 'example.com' })],
      [
        'a NATIVE provider',
        (t) => ({ tenantId: t, kind: 'NATIVE', displayName: unique('Codes'), requiredHostedDomain: 'example.com' }),
      ],
      ['a URL', (t) => oidcInput(t, { requiredHostedDomain: 'https://example.com' })],
      ['an email address', (t) => oidcInput(t, { requiredHostedDomain: 'someone@example.com' })],
      ['a single label', (t) => oidcInput(t, { requiredHostedDomain: 'intranet' })],
      ['an IP address', (t) => oidcInput(t, { requiredHostedDomain: '192.168.1.1' })],
      ['a label over 63 characters', (t) => oidcInput(t, { requiredHostedDomain: `${'a'.repeat(64)}.com` })],
      ['a shared definition', () => without(oidcInput('', { requiredHostedDomain: 'example.com' }), 'tenantId', 'clientId')],
    ])('is refused on %s with BAD_USER_INPUT on requiredHostedDomain', async (label, input) => {
      const as = label === 'a shared definition' ? env.adminToken : org.admin.token;
      const before = (await tenantAsAdmin(org.tenant.id)).identityProviders.length;
      expectError(await registerRestricted(input(org.tenant.id), as), 'BAD_USER_INPUT', 'requiredHostedDomain');
      expect((await tenantAsAdmin(org.tenant.id)).identityProviders).toHaveLength(before);
    });

    it('is refused on update of an OAuth 2.0 provider and keeps the OIDC provider’s domain on a bad one', async () => {
      const oauth2 = ok(await registerRestricted(oauth2Input(org.tenant.id))).registerIdentityProvider.identityProvider;
      expectError(
        await updateRestricted({ id: oauth2.id, requiredHostedDomain: 'example.com' }),
        'BAD_USER_INPUT',
        'requiredHostedDomain',
      );
      const oidc = ok(await registerRestricted(oidcInput(org.tenant.id, { requiredHostedDomain: 'example.com' })))
        .registerIdentityProvider.identityProvider;
      expectError(
        await updateRestricted({ id: oidc.id, requiredHostedDomain: 'not a domain' }),
        'BAD_USER_INPUT',
        'requiredHostedDomain',
      );
      const read = await env.stack.graphql<{ identityProvider: Restricted }>(
        `query ($id: ID!) { identityProvider(id: $id) { ${FIELDS} } }`,
        { id: oidc.id },
        org.admin.token,
      );
      expect(ok(read).identityProvider.configuration.requiredHostedDomain).toBe('example.com');
    });
  });

  describe('enable, disable, remove and the default provider', () => {
    let fixture: TenantFixture;
    let nativeId: string;

    beforeAll(async () => {
      fixture = await openTenant();
      nativeId = fixture.tenant.defaultIdentityProvider.id;
    });

    it('disables and enables a provider, refusing to make a disabled one the default', async () => {
      const { tenant, admin } = fixture;
      const provider = await register(oidcInput(tenant.id), admin.token);

      const disabled = ok(await api.disableProvider(provider.id, admin.token)).disableIdentityProvider.identityProvider;
      expect(disabled).toMatchObject({ id: provider.id, enabled: false });
      expectError(
        await api.setDefaultProvider({ tenantId: tenant.id, providerId: provider.id }, admin.token),
        'PROVIDER_DISABLED',
      );
      expect((await tenantAsAdmin(tenant.id)).defaultIdentityProvider.id).toBe(nativeId);

      const enabled = ok(await api.enableProvider(provider.id, admin.token)).enableIdentityProvider.identityProvider;
      expect(enabled).toMatchObject({ id: provider.id, enabled: true });

      for (const [type, isEnabled] of [
        ['tenant.identity_provider.disabled', false],
        ['tenant.identity_provider.enabled', true],
      ] as const) {
        const event = await waitForEvent(reader, tenant.id, type, (e) => about(e, provider.id));
        expect(event).toMatchObject({ key: tenant.id, subject: tenant.id, tenantid: tenant.id });
        expect(event.data['identityProvider']).toMatchObject({
          id: provider.id,
          tenantId: tenant.id,
          kind: 'OIDC',
          enabled: isEnabled,
        });
        expect(connectionOf(event)).toMatchObject({ issuer: 'https://login.example.com', sealedClientSecret: null });
      }
    });

    it('switches the default, and refuses to disable or remove the default', async () => {
      const { tenant, admin } = fixture;
      const provider = await register(oidcInput(tenant.id), admin.token);

      const switched = ok(await api.setDefaultProvider({ tenantId: tenant.id, providerId: provider.id }, admin.token))
        .setDefaultIdentityProvider.tenant;
      expect(switched.defaultIdentityProvider.id).toBe(provider.id);
      expect(switched.identityProviders.filter((p) => p.isDefault).map((p) => p.id)).toEqual([provider.id]);

      expectError(await api.disableProvider(provider.id, admin.token), 'DEFAULT_PROVIDER_REQUIRED');
      expectError(await api.removeProvider(provider.id, admin.token), 'DEFAULT_PROVIDER_REQUIRED');
      expect(ok(await api.identityProvider(provider.id, admin.token)).identityProvider).toMatchObject({
        enabled: true,
        isDefault: true,
      });

      const event = await waitForEvent(
        reader,
        tenant.id,
        'tenant.tenant.default_provider_changed',
        (e) => e.data['after'] === provider.id,
      );
      expect(event).toMatchObject({
        key: tenant.id,
        subject: tenant.id,
        tenantid: tenant.id,
        data: { tenant: { id: tenant.id }, before: nativeId, after: provider.id },
      });

      ok(await api.setDefaultProvider({ tenantId: tenant.id, providerId: nativeId }, admin.token));
      expect((await tenantAsAdmin(tenant.id)).defaultIdentityProvider.id).toBe(nativeId);
    });

    it('removes a provider that is not the default', async () => {
      const { tenant, admin } = fixture;
      const provider = await register(oidcInput(tenant.id), admin.token);

      expect(ok(await api.removeProvider(provider.id, admin.token)).removeIdentityProvider.removedId).toBe(provider.id);
      expect(ok(await api.identityProvider(provider.id, admin.token)).identityProvider).toBeNull();
      expect((await tenantAsAdmin(tenant.id)).identityProviders.map((p) => p.id)).not.toContain(provider.id);
      expectError(await api.removeProvider(provider.id, admin.token), 'NOT_FOUND');

      const event = await waitForEvent(reader, tenant.id, 'tenant.identity_provider.removed', (e) => about(e, provider.id));
      expect(event).toMatchObject({ key: tenant.id, subject: tenant.id, tenantid: tenant.id });
      expect(event.data['identityProvider']).toMatchObject({ id: provider.id, tenantId: tenant.id, kind: 'OIDC' });
      expect(connectionOf(event)).toMatchObject({ issuer: 'https://login.example.com', clientId: 'messngr-e2e' });
    });

    it('publishes no connection for a NATIVE provider', async () => {
      const { tenant, admin } = fixture;
      const provider = await register({ tenantId: tenant.id, kind: 'NATIVE', displayName: unique('Codes') }, admin.token);
      const event = await waitForEvent(reader, tenant.id, 'tenant.identity_provider.registered', (e) => about(e, provider.id));
      expect(event.data['identityProvider']).toMatchObject({ id: provider.id, kind: 'NATIVE' });
      expect(connectionOf(event)).toBeNull();
    });

    it('refuses callers who do not administer the tenant', async () => {
      const { tenant, admin, member } = fixture;
      const provider = await register(oidcInput(tenant.id), admin.token);
      for (const token of [member.token, other.admin.token]) {
        expectError(await api.disableProvider(provider.id, token), 'FORBIDDEN');
        expectError(await api.enableProvider(provider.id, token), 'FORBIDDEN');
        expectError(await api.removeProvider(provider.id, token), 'FORBIDDEN');
        expectError(await api.setDefaultProvider({ tenantId: tenant.id, providerId: provider.id }, token), 'FORBIDDEN');
      }
      expectError(await api.disableProvider(provider.id, null), 'UNAUTHENTICATED');
      const after = await tenantAsAdmin(tenant.id);
      expect(after.identityProviders.find((p) => p.id === provider.id)).toMatchObject({ enabled: true, isDefault: false });
    });

    it('answers NOT_FOUND for providers that do not exist or belong to another tenant', async () => {
      const { tenant, admin } = fixture;
      for (const call of [api.enableProvider, api.disableProvider, api.removeProvider]) {
        expectError(await call('idp_doesnotexist', admin.token), 'NOT_FOUND');
      }
      expectError(await api.setDefaultProvider({ tenantId: tenant.id, providerId: 'idp_doesnotexist' }), 'NOT_FOUND');
      const stranger = other.tenant.defaultIdentityProvider.id;
      expectError(await api.setDefaultProvider({ tenantId: tenant.id, providerId: stranger }), 'NOT_FOUND');
      expect((await tenantAsAdmin(tenant.id)).defaultIdentityProvider.id).toBe(nativeId);
    });

    it('keeps exactly one default under 20 concurrent switches', async () => {
      const { tenant, admin } = await openTenant();
      const native = tenant.defaultIdentityProvider.id;
      const provider = await register(oidcInput(tenant.id), admin.token);

      const targets = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? provider.id : native));
      const results = await Promise.all(
        targets.map((providerId) => api.setDefaultProvider({ tenantId: tenant.id, providerId }, admin.token)),
      );

      const outcomes = results.map((r) => (r.errors?.length ? (r.errors[0]?.extensions?.code ?? 'no code') : 'ok'));
      expect(results.filter((r) => r.status >= 500)).toEqual([]);
      expect(outcomes.filter((o) => o === 'no code' || o === 'INTERNAL_SERVER_ERROR')).toEqual([]);
      expect(outcomes).toContain('ok');
      for (const result of results.filter((r) => !r.errors?.length)) {
        const seen = result.data!.setDefaultIdentityProvider.tenant;
        expect(seen.identityProviders.filter((p) => p.isDefault).map((p) => p.id)).toEqual([seen.defaultIdentityProvider.id]);
      }

      const after = await tenantAsAdmin(tenant.id);
      const defaults = after.identityProviders.filter((p) => p.isDefault);
      expect(defaults).toHaveLength(1);
      expect(defaults[0]!.id).toBe(after.defaultIdentityProvider.id);
      expect([native, provider.id]).toContain(after.defaultIdentityProvider.id);

      // Each switch's event continues where the previous one ended: no two switches interleaved.
      // (a marker change: once its event is read, every switch's event has been too)
      await eventually(async () => ok(await api.updateTenant({ id: tenant.id, name: unique('After Switches') })));
      await waitForEvent(reader, tenant.id, 'tenant.tenant.updated');
      const switches = eventsWithKey(reader, tenant.id)
        .filter((e) => e.type === 'tenant.tenant.default_provider_changed')
        .map((e) => e.data as { before: string; after: string });
      expect(switches.length).toBeGreaterThan(0);
      expect(switches[0]!.before).toBe(native);
      const breaks = switches.slice(1).filter((event, i) => event.before !== switches[i]!.after);
      expect({ breaks, switches: switches.length }).toEqual({ breaks: [], switches: switches.length });
      expect(switches.at(-1)!.after).toBe(after.defaultIdentityProvider.id);
    });
  });

  describe('testIdentityProvider against a real OpenID provider', () => {
    let good: Awaited<ReturnType<typeof startOpenIdProvider>>;
    let mismatched: Awaited<ReturnType<typeof startOpenIdProvider>>;

    beforeAll(async () => {
      [good, mismatched] = await Promise.all([
        startOpenIdProvider(),
        startOpenIdProvider({ issuer: `https://op-${randomBytes(3).toString('hex')}.example` }),
      ]);
    });

    afterAll(async () => {
      await Promise.all([good?.stop(), mismatched?.stop()]);
    });

    it('reports a correctly configured provider as ok, with what it discovered', async () => {
      const provider = await register(oidcInput(org.tenant.id, { issuer: good.url, useDiscovery: true }), org.admin.token);
      const report = ok(await api.testProvider(provider.id, org.admin.token)).testIdentityProvider.report;
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.discovered?.issuer).toBe(good.issuer);
      expect(report.discovered?.codeChallengeMethodsSupported).toContain('S256');
      expect(report.discovered?.tokenEndpoint).toMatch(/^http:\/\/(127\.0\.0\.1|localhost)/);
    });

    it('reports ISSUER_MISMATCH when the discovery document names another issuer', async () => {
      const provider = await register(oidcInput(org.tenant.id, { issuer: mismatched.url, useDiscovery: true }), org.admin.token);
      const report = ok(await api.testProvider(provider.id, org.admin.token)).testIdentityProvider.report;
      expect(report.ok).toBe(false);
      expect(report.problems.map((p) => p.code)).toContain('ISSUER_MISMATCH');
      expect(report.discovered?.issuer).toBe(mismatched.issuer);
    });

    it('reports UNREACHABLE for an issuer nobody listens on', async () => {
      const issuer = `http://127.0.0.1:${await freePort()}`;
      const provider = await register(oidcInput(org.tenant.id, { issuer, useDiscovery: true }), org.admin.token);
      const report = ok(await api.testProvider(provider.id, org.admin.token)).testIdentityProvider.report;
      expect(report.ok).toBe(false);
      expect(report.problems.map((p) => p.code)).toContain('UNREACHABLE');
    });

    it('is for the provider’s administrators only', async () => {
      const provider = org.tenant.defaultIdentityProvider.id;
      expectError(await api.testProvider(provider, null), 'UNAUTHENTICATED');
      expectError(await api.testProvider(provider, org.member.token), 'FORBIDDEN');
      expectError(await api.testProvider(provider, other.admin.token), 'FORBIDDEN');
      expectError(await api.testProvider('idp_doesnotexist'), 'NOT_FOUND');
    });
  });

  describe('client secrets', () => {
    it('are stored, published only sealed for the identity subgraph, and never returned or logged', async () => {
      const secret = `e2e-secret-${randomBytes(16).toString('hex')}`;
      const rotated = `e2e-rotated-${randomBytes(16).toString('hex')}`;
      const sharedSecret = `e2e-shared-${randomBytes(16).toString('hex')}`;

      const provider = await register(oidcInput(org.tenant.id, { clientSecret: secret }), org.admin.token);
      expect(provider.configuration?.hasClientSecret).toBe(true);
      const updated = ok(await api.updateProvider({ id: provider.id, clientSecret: rotated }, org.admin.token))
        .updateIdentityProvider.identityProvider;
      expect(updated.configuration?.hasClientSecret).toBe(true);

      const definition = await register(
        without(oauth2Input('', { displayName: unique('Shared'), personal: false }), 'tenantId', 'clientId'),
        env.adminToken,
      );
      const enabled = await register(
        { tenantId: org.tenant.id, sharedDefinitionId: definition.id, clientId: 'c', clientSecret: sharedSecret },
        org.admin.token,
      );
      expect(enabled.configuration?.hasClientSecret).toBe(true);

      // The change event says the secret changed, not what it is; its connection carries the new one, sealed.
      const event = await waitForEvent(reader, org.tenant.id, 'tenant.identity_provider.updated', (e) => about(e, provider.id));
      expect(event.data['changes']).toEqual({ clientSecret: { changed: true } });
      expect(openedSecret(event)).toBe(rotated);
      const registered = await waitForEvent(reader, org.tenant.id, 'tenant.identity_provider.registered', (e) =>
        about(e, provider.id),
      );
      expect(openedSecret(registered)).toBe(secret);
      const copied = await waitForEvent(reader, org.tenant.id, 'tenant.identity_provider.registered', (e) =>
        about(e, enabled.id),
      );
      expect(openedSecret(copied)).toBe(sharedSecret);
      // Bound to its provider: moved into another provider's event, it does not open.
      expect(() => openedSecret(copied, provider.id)).toThrow();
      // Nor with the keys for secrets at rest, which only the tenant subgraph holds.
      const atRest = new SecretBox(parseEncryptionKeys(env.stack.secrets.SECRETS_ENCRYPTION_KEYS));
      expect(() => atRest.open(connectionOf(copied)!.sealedClientSecret!, providerSecretTransportContext(enabled.id))).toThrow();

      // Everything this file got back, read from the broker, and logged, since the stack started.
      const responses = api.transcript.join('\n');
      const events = reader.messages.map((m) => `${m.value} ${JSON.stringify(m.headers)}`).join('\n');
      const logs = env.stack.logs.text();
      expect(responses).toContain(provider.id);
      expect(events).toContain(provider.id);
      expect(logs.length).toBeGreaterThan(0);
      for (const value of [secret, rotated, sharedSecret]) {
        expect(responses).not.toContain(value);
        // Not in the raw bytes of any event, not even encoded.
        expect(events).not.toContain(value);
        expect(events).not.toContain(Buffer.from(value).toString('base64'));
        expect(logs).not.toContain(value);
      }
    });
  });
});
