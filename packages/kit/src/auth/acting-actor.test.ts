import { asTenantId } from '../core/tenant-id';
import { PLATFORM_TENANT, Role } from '../core/platform';
import { actingActor, requireSupportReason } from './acting-actor';
import { canSupportTenant, isPlatformSupport, type AuthenticatedCaller } from './authorization';

const acme = asTenantId('ten_acme');
const other = asTenantId('ten_other');
const caller = (roles: string[], tenantId = acme, extra: Partial<AuthenticatedCaller> = {}): AuthenticatedCaller => ({
  accountId: 'acc_caller',
  tenantId,
  roles,
  clientIp: '192.0.2.7',
  ...extra,
});

describe('support agents', () => {
  it('support a tenant they are a member of and no other', () => {
    const agent = caller([Role.SUPPORT_AGENT]);
    expect(canSupportTenant(agent, acme)).toBe(true);
    expect(canSupportTenant(agent, other)).toBe(false);
    expect(isPlatformSupport(agent)).toBe(false);
  });

  it('of the platform tenant support every tenant', () => {
    const agent = caller([Role.SUPPORT_AGENT], PLATFORM_TENANT.id);
    expect(isPlatformSupport(agent)).toBe(true);
    expect(canSupportTenant(agent, other)).toBe(true);
  });

  it('lose support rights in a restricted (recovery) session', () => {
    expect(canSupportTenant(caller([Role.SUPPORT_AGENT], acme, { restricted: true }), acme)).toBe(false);
    expect(canSupportTenant(caller([Role.SUPPORT_AGENT], PLATFORM_TENANT.id, { restricted: true }), acme)).toBe(false);
  });

  it('a plain member supports nothing', () => {
    expect(canSupportTenant(caller([]), acme)).toBe(false);
  });
});

describe('actingActor', () => {
  it('is the account itself, with no reason needed, on its own account', () => {
    expect(actingActor(caller([]), { tenantId: acme, accountId: 'acc_caller' })).toEqual({
      id: 'acc_caller',
      type: 'account',
      clientIp: '192.0.2.7',
    });
  });

  it('is a tenant admin or an operator on someone else’s, with the reason normalized', () => {
    const target = { tenantId: acme, accountId: 'acc_someone' };
    expect(actingActor(caller([Role.TENANT_ADMIN]), target, '  lost   phone ')).toMatchObject({
      type: 'tenant_admin',
      reason: 'lost phone',
    });
    expect(actingActor(caller([Role.SUPPORT_AGENT]), target, 'ticket 42')).toMatchObject({
      id: 'acc_caller',
      type: 'operator',
      reason: 'ticket 42',
    });
  });

  it('refuses to act on someone else’s account without a usable reason', () => {
    const target = { tenantId: acme, accountId: 'acc_someone' };
    for (const reason of [undefined, null, '', '  ', 'ab', 'x'.repeat(501), 'bad\u0007bell']) {
      expect(() => actingActor(caller([Role.SUPPORT_AGENT]), target, reason)).toThrow(
        expect.objectContaining({ code: 'BAD_USER_INPUT', details: { field: 'reason' } }),
      );
    }
  });

  it('names a custom field in the error', () => {
    expect(() => requireSupportReason(undefined, 'input.reason')).toThrow(
      expect.objectContaining({ details: { field: 'input.reason' } }),
    );
  });
});
