import { auditSummary } from './audit-summary';

describe('audit summaries', () => {
  it('names what happened for known events', () => {
    expect(auditSummary('tenant.tenant.created', { tenant: { name: 'Acme' } })).toBe('Tenant “Acme” created');
    expect(auditSummary('identity.account.created', { account: { displayName: 'Kari' } })).toBe('Account “Kari” created');
    expect(auditSummary('device.device.registered', { device: { name: 'Pixel 8' } })).toBe('Device “Pixel 8” registered');
  });

  it('reads sensibly for unknown events and missing data', () => {
    expect(auditSummary('identity.identity.removal_requested', {})).toBe('Identity removal requested');
    expect(auditSummary('device.device.registered', { device: 'garbage' })).toBe('Device “unnamed” registered');
  });
});
