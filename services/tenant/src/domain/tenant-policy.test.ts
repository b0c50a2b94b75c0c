import { applyPolicyChanges, DEFAULT_TENANT_POLICY, policyAllowsDefault, policyAllowsProvider } from './tenant-policy';

const has = (changes: object) => (name: string) => name in changes;

describe('tenant policy', () => {
  it('applies changes and keeps the rest', () => {
    const changes = { allowPersonalProviders: false, otpSendLimits: { perIpPerHour: 7 } };
    const next = applyPolicyChanges(DEFAULT_TENANT_POLICY, changes, has(changes));
    expect(next.allowPersonalProviders).toBe(false);
    expect(next.otpSendLimits).toEqual({ ...DEFAULT_TENANT_POLICY.otpSendLimits, perIpPerHour: 7 });
    expect(next.allowedProviderKinds).toEqual(DEFAULT_TENANT_POLICY.allowedProviderKinds);
  });

  it('refuses an empty kind list and out-of-range limits', () => {
    expect(() => applyPolicyChanges(DEFAULT_TENANT_POLICY, { allowedProviderKinds: [] }, () => false)).toThrow(
      expect.objectContaining({ details: { field: 'allowedProviderKinds' } }),
    );
    expect(() => applyPolicyChanges(DEFAULT_TENANT_POLICY, { otpSendLimits: { perIdentifierPerHour: 0 } }, () => false)).toThrow(
      expect.objectContaining({ details: { field: 'otpSendLimits.perIdentifierPerHour' } }),
    );
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
