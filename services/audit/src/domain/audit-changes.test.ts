import { auditChanges } from './audit-changes';

describe('changes as the feed shows them', () => {
  it('shows allowed fields before and after, as text', () => {
    const data = {
      changes: {
        displayName: { before: 'Kari', after: 'Kari N' },
        timeZone: { before: null, after: 'Europe/Oslo' },
        allowedProviderKinds: { before: ['NATIVE'], after: ['NATIVE', 'OIDC'] },
      },
    };
    expect(auditChanges('identity.account.updated', data)).toEqual([
      { field: 'displayName', before: 'Kari', after: 'Kari N' },
      { field: 'timeZone', before: null, after: 'Europe/Oslo' },
      { field: 'allowedProviderKinds', before: '["NATIVE"]', after: '["NATIVE","OIDC"]' },
    ]);
  });

  it('never shows secrets, connections, hashes, codes or tokens, nor fields it does not know', () => {
    const data = {
      connection: { sealedClientSecret: { ciphertext: 'c2VjcmV0' } },
      changes: {
        clientSecret: { changed: true },
        connection: { before: { clientId: 'a' }, after: { clientId: 'b' } },
        codeHash: { before: 'h1', after: 'h2' },
        refreshToken: { before: 't1', after: 't2' },
        somethingNew: { before: 'x', after: 'y' },
        otpSendLimits: { before: { perIpPerHour: 20 }, after: { perIpPerHour: 30, apiToken: 'tok' } },
      },
    };
    const shown = auditChanges('tenant.identity_provider.updated', data);
    expect(shown).toEqual([{ field: 'otpSendLimits', before: '{"perIpPerHour":20}', after: '{"perIpPerHour":30}' }]);
    expect(JSON.stringify(shown)).not.toMatch(/c2VjcmV0|h1|t1|tok|clientId/);
  });

  it('shows a roles change as the sets before and after', () => {
    expect(auditChanges('identity.account.roles_changed', { before: [], after: ['support_agent'] })).toEqual([
      { field: 'roles', before: '[]', after: '["support_agent"]' },
    ]);
  });

  it('has nothing to show for events without changes', () => {
    expect(auditChanges('identity.session.started', { session: {} })).toEqual([]);
    expect(auditChanges('identity.account.updated', { changes: 'garbage' })).toEqual([]);
  });
});
