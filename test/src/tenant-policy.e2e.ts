import { producerTopic } from '@messngr/contracts';
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
