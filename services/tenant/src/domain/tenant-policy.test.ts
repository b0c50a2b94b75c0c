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

  it('starts with a step-up window of 600 seconds, and reads a policy stored before it existed as 600', () => {
    expect(DEFAULT_TENANT_POLICY.reauthenticationMaxAgeSeconds).toBe(600);
    const { reauthenticationMaxAgeSeconds: _absent, ...older }: StoredTenantPolicy = DEFAULT_TENANT_POLICY;
    expect(tenantPolicyOf(older).reauthenticationMaxAgeSeconds).toBe(600);
    expect(tenantPolicyOf({ ...older, reauthenticationMaxAgeSeconds: 120 }).reauthenticationMaxAgeSeconds).toBe(120);
  });

  it('sets the step-up window from 60 to 86400 seconds, and keeps it when omitted or null', () => {
    for (const seconds of [60, 601, 86_400]) {
      const changes = { reauthenticationMaxAgeSeconds: seconds };
      expect(applyPolicyChanges(DEFAULT_TENANT_POLICY, changes, has(changes), development).reauthenticationMaxAgeSeconds).toBe(
        seconds,
      );
    }
    const set = applyPolicyChanges(DEFAULT_TENANT_POLICY, { reauthenticationMaxAgeSeconds: 900 }, () => true, development);
    expect(applyPolicyChanges(set, { allowSignUp: false }, () => false, development).reauthenticationMaxAgeSeconds).toBe(900);
    expect(
      applyPolicyChanges(set, { reauthenticationMaxAgeSeconds: null }, () => true, development).reauthenticationMaxAgeSeconds,
    ).toBe(900);
  });

  it.each([0, 59, 86_401, 600.5, -600, Number.NaN, Number.POSITIVE_INFINITY])(
    'refuses a step-up window of %s seconds on reauthenticationMaxAgeSeconds',
    (seconds) => {
      expect(() =>
        applyPolicyChanges(DEFAULT_TENANT_POLICY, { reauthenticationMaxAgeSeconds: seconds }, () => true, development),
      ).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', details: { field: 'reauthenticationMaxAgeSeconds' } }));
    },
  );

  it('keeps audit entries 365 days unless set, from 1 to 3650 whole days', () => {
    expect(DEFAULT_TENANT_POLICY.auditRetentionDays).toBe(365);
    const { auditRetentionDays: _absent, ...older }: StoredTenantPolicy = DEFAULT_TENANT_POLICY;
    expect(tenantPolicyOf(older).auditRetentionDays).toBe(365);
    for (const days of [1, 30, 3650]) {
      expect(
        applyPolicyChanges(DEFAULT_TENANT_POLICY, { auditRetentionDays: days }, () => true, development).auditRetentionDays,
      ).toBe(days);
    }
    for (const days of [0, 3651, 1.5, -1]) {
      expect(() => applyPolicyChanges(DEFAULT_TENANT_POLICY, { auditRetentionDays: days }, () => true, development)).toThrow(
        expect.objectContaining({ code: 'BAD_USER_INPUT', details: { field: 'auditRetentionDays' } }),
      );
    }
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
