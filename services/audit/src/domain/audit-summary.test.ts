import { auditSummary } from './audit-summary';

describe('audit summaries', () => {
  it('names what happened for known events', () => {
    expect(auditSummary('tenant.tenant.created', { tenant: { name: 'Acme' } })).toBe('Tenant “Acme” created');
    expect(auditSummary('tenant.tenant.updated', { after: { name: 'Acme 2' } })).toBe('Tenant settings changed');
    expect(auditSummary('identity.account.created', { account: { displayName: 'Kari' } })).toBe('Account created');
    expect(auditSummary('device.device.registered', { device: { name: 'Pixel 8' } })).toBe('Device “Pixel 8” registered');
  });

  it('still reads sensibly when the data is missing or malformed', () => {
    expect(auditSummary('device.device.registered', { device: 'garbage' })).toBe('Device (unnamed) registered');
    expect(auditSummary('tenant.tenant.created', {})).toBe('Tenant (unnamed) created');
  });

  it('falls back to a sentence built from the type for types this build does not know', () => {
    expect(auditSummary('identity.recovery_codes.regenerated', {})).toBe('Recovery codes regenerated');
    expect(auditSummary('device.device.teleported', {})).toBe('Device teleported');
    expect(auditSummary('odd', {})).toBe('Event recorded');
  });
});
