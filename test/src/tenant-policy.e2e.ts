import { producerTopic } from '@messngr/contracts';
import { asTenantId } from '@messngr/kit/core';
import { useStack } from './harness/stack';
import {
  expectError,
  ok,
  tenantApi,
  tenantWithPeople,
  unique,
  waitForEvent,
  type PolicyView,
  type ProviderView,
  type TenantFixture,
} from './harness/tenant-api';
import { useTopicReader } from './harness/topic-reader';

type Input = Record<string, unknown>;

function oidcInput(tenantId: string, extra: Input = {}): Input {
  return {
    tenantId,
    kind: 'OIDC',
    displayName: unique('Policy SSO'),
    issuer: 'https://login.example.com',
    clientId: 'messngr-e2e',
    ...extra,
  };
}

function oauth2Input(tenantId: string | undefined, extra: Input = {}): Input {
  return {
    ...(tenantId ? { tenantId } : {}),
    kind: 'OAUTH2',
    displayName: unique('GitHub'),
    badgeKey: 'github',
    authorizationEndpoint: 'https://github.com/login/oauth/authorize',
    tokenEndpoint: 'https://github.com/login/oauth/access_token',
    userinfoEndpoint: 'https://api.github.com/user',
    claimMapping: { subject: 'id', username: 'login' },
    ...(tenantId ? { clientId: 'Iv1.e2e' } : {}),
    ...extra,
  };
}

/**
 * A tenant's sign-in policy through the gateway: who may change it, its bounds, the event a
 * change publishes, and how the tenant subgraph holds providers to it.
 */
describe('tenant policy', () => {
  const env = useStack();
  const api = tenantApi(env);
  const reader = useTopicReader([producerTopic('tenant')]);
  let org: TenantFixture;
  let other: TenantFixture;

  async function policyOf(tenantId: string): Promise<PolicyView> {
    const policy = ok(await api.tenant(tenantId)).tenant?.settings?.policy;
    if (!policy) throw new Error(`no policy readable for ${tenantId}`);
    return policy;
  }

  async function setPolicy(tenantId: string, input: Input, token: string): Promise<PolicyView> {
    return ok(await api.updatePolicy({ tenantId, ...input }, token)).updateTenantPolicy.tenant.settings!.policy;
  }

  async function register(input: Input, token: string): Promise<ProviderView> {
    return ok(await api.registerProvider(input, token)).registerIdentityProvider.identityProvider;
  }

  beforeAll(async () => {
    [org, other] = await Promise.all([tenantWithPeople(env, api), tenantWithPeople(env, api)]);
  });

  describe('updateTenantPolicy', () => {
    it('starts from a policy that allows the NATIVE default provider', async () => {
      const policy = await policyOf(org.tenant.id);
      expect(policy.allowedProviderKinds).toContain('NATIVE');
      expect(policy.allowedProviderIds).toBeNull();
      for (const limit of Object.values(policy.otpSendLimits)) {
        expect(limit).toBeGreaterThanOrEqual(1);
        expect(limit).toBeLessThanOrEqual(10_000);
      }
    });

    it('lets a tenant admin change what is given, keeps the rest, and publishes only the changes', async () => {
      const { tenant, admin } = await tenantWithPeople(env, api);
      const before = await policyOf(tenant.id);

      const after = await setPolicy(
        tenant.id,
        { allowSignUp: !before.allowSignUp, otpSendLimits: { perIdentifierPerHour: 7 } },
        admin.token,
      );
      expect(after).toEqual({
        ...before,
        allowSignUp: !before.allowSignUp,
        otpSendLimits: { ...before.otpSendLimits, perIdentifierPerHour: 7 },
      });
      expect(await policyOf(tenant.id)).toEqual(after);

      const event = await waitForEvent(reader, tenant.id, 'tenant.tenant.policy_updated');
      expect(event).toMatchObject({
        key: tenant.id,
        subject: tenant.id,
        tenantid: tenant.id,
        data: { tenant: { id: tenant.id } },
      });
      const changes = event.data['changes'] as Record<string, unknown>;
      expect(changes['allowSignUp']).toEqual({ before: before.allowSignUp, after: !before.allowSignUp });
      expect(Object.keys(changes).filter((key) => key.startsWith('otpSendLimits'))).not.toEqual([]);
      for (const unchanged of ['allowedProviderKinds', 'allowedProviderIds', 'allowPersonalProviders', 'allowPhoneIdentities']) {
        expect(Object.keys(changes)).not.toContain(unchanged);
      }
    });

    it('sets and clears the list of allowed providers', async () => {
      const nativeId = org.tenant.defaultIdentityProvider.id;
      expect((await setPolicy(org.tenant.id, { allowedProviderIds: [nativeId] }, org.admin.token)).allowedProviderIds).toEqual([
        nativeId,
      ]);
      expect((await setPolicy(org.tenant.id, { allowedProviderIds: null }, org.admin.token)).allowedProviderIds).toBeNull();
    });

    it('may be changed by a platform admin too', async () => {
      const before = await policyOf(org.tenant.id);
      const after = await setPolicy(org.tenant.id, { allowPhoneIdentities: !before.allowPhoneIdentities }, env.adminToken);
      expect(after.allowPhoneIdentities).toBe(!before.allowPhoneIdentities);
    });

    it.each<[string, string, Input]>([
      ['no provider kinds', 'allowedProviderKinds', { allowedProviderKinds: [] }],
      ['0 codes per identifier', 'otpSendLimits.perIdentifierPerHour', { otpSendLimits: { perIdentifierPerHour: 0 } }],
      ['10,001 codes per identifier', 'otpSendLimits.perIdentifierPerHour', { otpSendLimits: { perIdentifierPerHour: 10_001 } }],
      ['0 codes per IP', 'otpSendLimits.perIpPerHour', { otpSendLimits: { perIpPerHour: 0 } }],
      ['10,001 codes per tenant', 'otpSendLimits.perTenantPerHour', { otpSendLimits: { perTenantPerHour: 10_001 } }],
    ])('refuses %s with BAD_USER_INPUT on %s', async (_label, field, input) => {
      const before = await policyOf(org.tenant.id);
      expectError(await api.updatePolicy({ tenantId: org.tenant.id, ...input }, org.admin.token), 'BAD_USER_INPUT', field);
      expect(await policyOf(org.tenant.id)).toEqual(before);
    });

    it('refuses callers who do not administer the tenant, and leaves the policy unchanged', async () => {
      const before = await policyOf(org.tenant.id);
      const input = { tenantId: org.tenant.id, allowSignUp: !before.allowSignUp };
      expectError(await api.updatePolicy(input, null), 'UNAUTHENTICATED');
      expectError(await api.updatePolicy(input, org.member.token), 'FORBIDDEN');
      expectError(await api.updatePolicy(input, other.admin.token), 'FORBIDDEN');
      expect(await policyOf(org.tenant.id)).toEqual(before);
    });

    it('answers NOT_FOUND for a tenant that does not exist', async () => {
      expectError(await api.updatePolicy({ tenantId: 'ten_doesnotexist', allowSignUp: false }), 'NOT_FOUND');
    });
  });

  describe('allowed return URLs', () => {
    const POLICY = `settings { policy { allowedReturnUrls } }`;

    async function returnUrlsOf(tenantId: string, token = env.adminToken): Promise<string[]> {
      const response = await env.stack.graphql<{ tenant: { settings: { policy: { allowedReturnUrls: string[] } } | null } }>(
        `query ($id: ID!) { tenant(id: $id) { ${POLICY} } }`,
        { id: tenantId },
        token,
      );
      const settings = ok(response).tenant.settings;
      if (!settings) throw new Error(`no policy readable for ${tenantId}`);
      return settings.policy.allowedReturnUrls;
    }

    async function setReturnUrls(tenantId: string, allowedReturnUrls: unknown, token: string) {
      return env.stack.graphql<{ updateTenantPolicy: { tenant: { settings: { policy: { allowedReturnUrls: string[] } } } } }>(
        `mutation ($input: UpdateTenantPolicyInput!) { updateTenantPolicy(input: $input) { tenant { ${POLICY} } } }`,
        { input: { tenantId, allowedReturnUrls } },
        token,
      );
    }

    it('start empty, are set as the URL parser writes them, read back, published, kept and cleared', async () => {
      const { tenant, admin } = await tenantWithPeople(env, api);
      expect(await returnUrlsOf(tenant.id)).toEqual([]);

      const given = [' https://App.Example.com ', 'https://app.example.com/auth/done?from=idp', 'http://127.0.0.1:5173/cb'];
      const stored = ['https://app.example.com/', 'https://app.example.com/auth/done?from=idp', 'http://127.0.0.1:5173/cb'];
      const answered = ok(await setReturnUrls(tenant.id, given, admin.token)).updateTenantPolicy.tenant.settings.policy;
      expect(answered.allowedReturnUrls).toEqual(stored);
      expect(await returnUrlsOf(tenant.id, admin.token)).toEqual(stored);

      const event = await waitForEvent(
        reader,
        tenant.id,
        'tenant.tenant.policy_updated',
        (e) => 'allowedReturnUrls' in (e.data['changes'] as object),
      );
      expect(event.data['changes']).toEqual({ allowedReturnUrls: { before: [], after: stored } });
      expect(event.data['policy']).toMatchObject({ allowedReturnUrls: stored });

      // Omitted, they stay; the same list again is accepted.
      await setPolicy(tenant.id, { allowSignUp: false }, admin.token);
      expect(await returnUrlsOf(tenant.id)).toEqual(stored);
      ok(await setReturnUrls(tenant.id, stored, admin.token));

      expect(
        ok(await setReturnUrls(tenant.id, [], admin.token)).updateTenantPolicy.tenant.settings.policy.allowedReturnUrls,
      ).toEqual([]);
      expect(await returnUrlsOf(tenant.id)).toEqual([]);
    });

    it.each<[string, unknown]>([
      ['an http URL that is not loopback', ['http://app.example.com/cb']],
      ['a relative URL', ['/auth/done']],
      ['something that is not a URL', ['not a url']],
      ['another scheme', ['javascript:alert(1)']],
      ['user info', ['https://user:pass@app.example.com/cb']],
      ['a fragment', ['https://app.example.com/cb#token']],
      ['a URL over 2000 characters', [`https://app.example.com/${'a'.repeat(2000)}`]],
      ['21 URLs', Array.from({ length: 21 }, (_, i) => `https://app.example.com/${i}`)],
    ])('refuses %s with BAD_USER_INPUT on allowedReturnUrls, and keeps the list', async (_label, urls) => {
      ok(await setReturnUrls(org.tenant.id, ['https://kept.example.com/'], org.admin.token));
      expectError(await setReturnUrls(org.tenant.id, urls, org.admin.token), 'BAD_USER_INPUT', 'allowedReturnUrls');
      expect(await returnUrlsOf(org.tenant.id)).toEqual(['https://kept.example.com/']);
    });

    it('are for the tenant’s administrators only', async () => {
      const urls = ['https://evil.example.com/'];
      expectError(await setReturnUrls(org.tenant.id, urls, other.admin.token), 'FORBIDDEN');
      expectError(await setReturnUrls(org.tenant.id, urls, org.member.token), 'FORBIDDEN');
      expect(await returnUrlsOf(org.tenant.id)).not.toContain(urls[0]);
    });

    it('read as none for a tenant stored before they existed, until set', async () => {
      const { tenant, admin } = await tenantWithPeople(env, api);
      // What a tenant written before this field looks like in the database.
      await env.stack.services.tenant.deps.tenants.change(asTenantId(tenant.id), (current) => {
        const { allowedReturnUrls: _dropped, ...older } = current.policy;
        return { changes: { policy: older }, events: [] };
      });
      const stored = await env.stack.services.tenant.deps.tenants.findById(asTenantId(tenant.id));
      expect(stored?.policy).not.toHaveProperty('allowedReturnUrls');
      expect(await returnUrlsOf(tenant.id)).toEqual([]);
      await setPolicy(tenant.id, { allowPhoneIdentities: false }, admin.token);
      const event = await waitForEvent(
        reader,
        tenant.id,
        'tenant.tenant.policy_updated',
        (e) => 'allowPhoneIdentities' in (e.data['changes'] as object),
      );
      // No made-up change from "absent" to "[]".
      expect(Object.keys(event.data['changes'] as object)).toEqual(['allowPhoneIdentities']);
      expect(event.data['policy']).toMatchObject({ allowedReturnUrls: [] });
      expect(
        ok(await setReturnUrls(tenant.id, ['https://app.example.com'], admin.token)).updateTenantPolicy.tenant.settings.policy
          .allowedReturnUrls,
      ).toEqual(['https://app.example.com/']);
    });
  });

  describe('step-up window', () => {
    const POLICY = `settings { policy { reauthenticationMaxAgeSeconds } }`;

    async function windowOf(tenantId: string, token = env.adminToken): Promise<number> {
      const response = await env.stack.graphql<{
        tenant: { settings: { policy: { reauthenticationMaxAgeSeconds: number } } | null };
      }>(`query ($id: ID!) { tenant(id: $id) { ${POLICY} } }`, { id: tenantId }, token);
      const settings = ok(response).tenant.settings;
      if (!settings) throw new Error(`no policy readable for ${tenantId}`);
      return settings.policy.reauthenticationMaxAgeSeconds;
    }

    function setWindow(tenantId: string, reauthenticationMaxAgeSeconds: unknown, token?: string) {
      return env.stack.graphql<{
        updateTenantPolicy: { tenant: { settings: { policy: { reauthenticationMaxAgeSeconds: number } } } };
      }>(
        `mutation ($input: UpdateTenantPolicyInput!) { updateTenantPolicy(input: $input) { tenant { ${POLICY} } } }`,
        { input: { tenantId, reauthenticationMaxAgeSeconds } },
        token,
      );
    }

    it('starts at 600 seconds in the policy and in the creation event, is set, read back, published and kept', async () => {
      const { tenant, admin } = await tenantWithPeople(env, api);
      expect(await windowOf(tenant.id)).toBe(600);
      const created = await waitForEvent(reader, tenant.id, 'tenant.tenant.created');
      expect(created.data['policy']).toMatchObject({ reauthenticationMaxAgeSeconds: 600 });

      const answered = ok(await setWindow(tenant.id, 300, admin.token)).updateTenantPolicy.tenant.settings.policy;
      expect(answered.reauthenticationMaxAgeSeconds).toBe(300);
      expect(await windowOf(tenant.id, admin.token)).toBe(300);
      const event = await waitForEvent(
        reader,
        tenant.id,
        'tenant.tenant.policy_updated',
        (e) => 'reauthenticationMaxAgeSeconds' in (e.data['changes'] as object),
      );
      expect(event.data['changes']).toEqual({ reauthenticationMaxAgeSeconds: { before: 600, after: 300 } });
      expect(event.data['policy']).toMatchObject({ reauthenticationMaxAgeSeconds: 300 });

      // Omitted or null, it stays; the bounds themselves are allowed.
      await setPolicy(tenant.id, { allowSignUp: false }, admin.token);
      expect(await windowOf(tenant.id)).toBe(300);
      ok(await setWindow(tenant.id, null, admin.token));
      expect(await windowOf(tenant.id)).toBe(300);
      for (const bound of [60, 86_400]) {
        expect(ok(await setWindow(tenant.id, bound, admin.token)).updateTenantPolicy.tenant.settings.policy).toEqual({
          reauthenticationMaxAgeSeconds: bound,
        });
      }
    });

    it.each<[string, unknown]>([
      ['59 seconds', 59],
      ['0 seconds', 0],
      ['a negative window', -600],
      ['86,401 seconds', 86_401],
    ])('refuses %s with BAD_USER_INPUT on reauthenticationMaxAgeSeconds, and keeps the window', async (_label, seconds) => {
      ok(await setWindow(org.tenant.id, 900, org.admin.token));
      expectError(await setWindow(org.tenant.id, seconds, org.admin.token), 'BAD_USER_INPUT', 'reauthenticationMaxAgeSeconds');
      expect(await windowOf(org.tenant.id)).toBe(900);
    });

    it('refuses a fraction as GraphQL refuses any non-integer Int', async () => {
      const response = await setWindow(org.tenant.id, 600.5, org.admin.token);
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.status).toBeLessThan(500);
    });

    it('is for the tenant’s administrators only', async () => {
      ok(await setWindow(org.tenant.id, 900, org.admin.token));
      expectError(await setWindow(org.tenant.id, 60, other.admin.token), 'FORBIDDEN');
      expectError(await setWindow(org.tenant.id, 60, org.member.token), 'FORBIDDEN');
      expectError(await setWindow(org.tenant.id, 60), 'UNAUTHENTICATED');
      expect(await windowOf(org.tenant.id)).toBe(900);
    });

    it('reads as 600 for a tenant stored before it existed, with no made-up change, until set', async () => {
      const { tenant, admin } = await tenantWithPeople(env, api);
      // What a tenant written before this field (and before return URLs) looks like in the database.
      await env.stack.services.tenant.deps.tenants.change(asTenantId(tenant.id), (current) => {
        const { reauthenticationMaxAgeSeconds: _window, allowedReturnUrls: _urls, ...older } = current.policy;
        return { changes: { policy: older }, events: [] };
      });
      const stored = await env.stack.services.tenant.deps.tenants.findById(asTenantId(tenant.id));
      expect(stored?.policy).not.toHaveProperty('reauthenticationMaxAgeSeconds');
      expect(await windowOf(tenant.id)).toBe(600);

      await setPolicy(tenant.id, { allowPhoneIdentities: false }, admin.token);
      const event = await waitForEvent(
        reader,
        tenant.id,
        'tenant.tenant.policy_updated',
        (e) => 'allowPhoneIdentities' in (e.data['changes'] as object),
      );
      expect(Object.keys(event.data['changes'] as object)).toEqual(['allowPhoneIdentities']);
      expect(event.data['policy']).toMatchObject({ reauthenticationMaxAgeSeconds: 600 });
      expect(ok(await setWindow(tenant.id, 1200, admin.token)).updateTenantPolicy.tenant.settings.policy).toEqual({
        reauthenticationMaxAgeSeconds: 1200,
      });
    });
  });

  describe('providers held to the policy', () => {
    it('refuses to register a provider of a kind the policy does not allow, until it does', async () => {
      const { tenant, admin } = await tenantWithPeople(env, api);
      await setPolicy(tenant.id, { allowedProviderKinds: ['NATIVE'], allowPersonalProviders: true }, admin.token);

      expectError(await api.registerProvider(oidcInput(tenant.id), admin.token), 'POLICY_FORBIDS_PROVIDER');
      expectError(await api.registerProvider(oauth2Input(tenant.id), admin.token), 'POLICY_FORBIDS_PROVIDER');
      const definition = await register(oauth2Input(undefined), env.adminToken);
      const fromDefinition = { tenantId: tenant.id, sharedDefinitionId: definition.id, clientId: 'c', clientSecret: 'not-used' };
      expectError(await api.registerProvider(fromDefinition, admin.token), 'POLICY_FORBIDS_PROVIDER');
      expect(ok(await api.tenant(tenant.id)).tenant?.identityProviders).toHaveLength(1);

      await setPolicy(tenant.id, { allowedProviderKinds: ['NATIVE', 'OIDC', 'OAUTH2'] }, admin.token);
      expect((await register(oidcInput(tenant.id), admin.token)).kind).toBe('OIDC');
      expect((await register(fromDefinition, admin.token)).sharedDefinitionId).toBe(definition.id);
    });

    it('refuses to enable a provider of a kind the policy no longer allows', async () => {
      const { tenant, admin } = await tenantWithPeople(env, api);
      await setPolicy(tenant.id, { allowedProviderKinds: ['NATIVE', 'OIDC'] }, admin.token);
      const provider = await register(oidcInput(tenant.id, { enabled: false }), admin.token);
      await setPolicy(tenant.id, { allowedProviderKinds: ['NATIVE'] }, admin.token);

      expectError(await api.enableProvider(provider.id, admin.token), 'POLICY_FORBIDS_PROVIDER');
      expect(ok(await api.identityProvider(provider.id, admin.token)).identityProvider?.enabled).toBe(false);
    });

    it('refuses to make a provider of a kind the policy no longer allows the default', async () => {
      const { tenant, admin } = await tenantWithPeople(env, api);
      await setPolicy(tenant.id, { allowedProviderKinds: ['NATIVE', 'OIDC'] }, admin.token);
      const provider = await register(oidcInput(tenant.id), admin.token);
      await setPolicy(tenant.id, { allowedProviderKinds: ['NATIVE'] }, admin.token);

      const response = await api.setDefaultProvider({ tenantId: tenant.id, providerId: provider.id }, admin.token);
      expectError(response, 'POLICY_FORBIDS_PROVIDER');
      expect(ok(await api.tenant(tenant.id)).tenant?.defaultIdentityProvider.id).toBe(tenant.defaultIdentityProvider.id);
    });

    it('refuses personal providers when the policy forbids them', async () => {
      const { tenant, admin } = await tenantWithPeople(env, api);
      await setPolicy(tenant.id, { allowedProviderKinds: ['NATIVE', 'OAUTH2'], allowPersonalProviders: false }, admin.token);

      expectError(await api.registerProvider(oauth2Input(tenant.id, { personal: true }), admin.token), 'POLICY_FORBIDS_PROVIDER');
      const corporate = await register(oauth2Input(tenant.id, { personal: false }), admin.token);
      expect(corporate.personal).toBe(false);
    });
  });
});
