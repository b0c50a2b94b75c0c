import { canonicalRoles } from './account-roles';

describe('canonicalRoles', () => {
  it('keeps known roles once each, in one order, so an equal set is recognised as no change', () => {
    expect(canonicalRoles(['support_agent', 'tenant_admin', 'support_agent'])).toEqual(['tenant_admin', 'support_agent']);
    expect(canonicalRoles(['tenant_admin', 'support_agent'])).toEqual(canonicalRoles(['support_agent', 'tenant_admin']));
  });

  it('drops roles no longer known (stored before the membership record had its closed list)', () => {
    expect(canonicalRoles(['platform_support', 'platform_admin'])).toEqual(['platform_admin']);
    expect(canonicalRoles([])).toEqual([]);
  });
});
