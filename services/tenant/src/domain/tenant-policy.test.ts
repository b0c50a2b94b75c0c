import {
  applyPolicyChanges,
  DEFAULT_TENANT_POLICY,
  policyAllowsDefault,
  policyAllowsProvider,
  tenantPolicyOf,
  type StoredTenantPolicy,
} from './tenant-policy';

const has = (changes: object) => (name: string) => name in changes;
const development = { allowInsecureLoopback: true };

describe('tenant policy', () => {
  it('applies changes and keeps the rest', () => {
    const changes = { allowPersonalProviders: false, otpSendLimits: { perIpPerHour: 7 } };
    const next = applyPolicyChanges(DEFAULT_TENANT_POLICY, changes, has(changes), development);
    expect(next.allowPersonalProviders).toBe(false);
    expect(next.otpSendLimits).toEqual({ ...DEFAULT_TENANT_POLICY.otpSendLimits, perIpPerHour: 7 });
    expect(next.allowedProviderKinds).toEqual(DEFAULT_TENANT_POLICY.allowedProviderKinds);
  });

  it('refuses an empty kind list and out-of-range limits', () => {
    expect(() => applyPolicyChanges(DEFAULT_TENANT_POLICY, { allowedProviderKinds: [] }, () => false, development)).toThrow(
      expect.objectContaining({ details: { field: 'allowedProviderKinds' } }),
    );
    expect(() =>
      applyPolicyChanges(DEFAULT_TENANT_POLICY, { otpSendLimits: { perIdentifierPerHour: 0 } }, () => false, development),
    ).toThrow(expect.objectContaining({ details: { field: 'otpSendLimits.perIdentifierPerHour' } }));
  });

  it('replaces the return URLs when given, keeps them when omitted or null, and checks them', () => {
    const set = { allowedReturnUrls: ['https://App.Example.com', 'http://localhost:3000/done'] };
    const next = applyPolicyChanges(DEFAULT_TENANT_POLICY, set, has(set), development);
    expect(next.allowedReturnUrls).toEqual(['https://app.example.com/', 'http://localhost:3000/done']);
    expect(applyPolicyChanges(next, { allowSignUp: false }, () => false, development).allowedReturnUrls).toEqual(
      next.allowedReturnUrls,
    );
    expect(applyPolicyChanges(next, { allowedReturnUrls: null }, () => true, development).allowedReturnUrls).toEqual(
      next.allowedReturnUrls,
    );
    expect(applyPolicyChanges(next, { allowedReturnUrls: [] }, () => true, development).allowedReturnUrls).toEqual([]);
    expect(() => applyPolicyChanges(next, set, has(set), { allowInsecureLoopback: false })).toThrow(
      expect.objectContaining({ details: { field: 'allowedReturnUrls' } }),
    );
  });

  it('reads a policy stored before return URLs existed as allowing none', () => {
    const { allowedReturnUrls: _absent, ...older }: StoredTenantPolicy = DEFAULT_TENANT_POLICY;
    expect(tenantPolicyOf(older)).toEqual({ ...older, allowedReturnUrls: [] });
    expect(DEFAULT_TENANT_POLICY.allowedReturnUrls).toEqual([]);
  });

  it('forbids kinds not allowed and personal providers when the tenant is corporate', () => {
    const corporate = {
      ...DEFAULT_TENANT_POLICY,
      allowedProviderKinds: ['NATIVE' as const, 'OIDC' as const],
      allowPersonalProviders: false,
    };
    expect(policyAllowsProvider(corporate, { id: 'a', kind: 'OIDC', personal: false })).toBe(true);
    expect(policyAllowsProvider(corporate, { id: 'a', kind: 'OAUTH2', personal: false })).toBe(false);
    expect(policyAllowsProvider(corporate, { id: 'a', kind: 'OIDC', personal: true })).toBe(false);
  });

  it('requires the default provider to be on the allow-list when there is one', () => {
    const listed = { ...DEFAULT_TENANT_POLICY, allowedProviderIds: ['idp_a'] };
    expect(policyAllowsDefault(listed, { id: 'idp_a', kind: 'NATIVE', personal: false })).toBe(true);
    expect(policyAllowsDefault(listed, { id: 'idp_b', kind: 'NATIVE', personal: false })).toBe(false);
  });
});
