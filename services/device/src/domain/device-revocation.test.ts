import { decideRevocation, deviceStatus, revocationReason, revokerFields, revokerOf, type Revocation } from './device-revocation';

const NOW = new Date('2026-11-23T10:00:00.000Z');
const byOwner: Revocation = { revokedAt: NOW, revokedBy: { kind: 'OWNER', accountId: 'acc_1' }, revocationReason: 'lost' };
const bySession: Revocation = {
  revokedAt: NOW,
  revokedBy: { kind: 'SESSION_REVOKED', sessionId: 'ses_1', sessionEndReason: 'SIGNED_OUT' },
  revocationReason: null,
};

describe('device revocation rules', () => {
  it('derives the status from the revocation time alone', () => {
    expect(deviceStatus({ revokedAt: null })).toBe('ACTIVE');
    expect(deviceStatus({ revokedAt: NOW })).toBe('REVOKED');
  });

  describe('given a trusted device', () => {
    const trusted = { revokedAt: null, revokedBy: null, revocationReason: null };
    it.each([
      ['its owner', byOwner],
      ["its session's end", bySession],
    ])('when %s revokes it, then it is revoked as asked', (_who, revocation) => {
      expect(decideRevocation(trusted, revocation)).toEqual(revocation);
    });

    it('when it was stored before revocation existed (no revoker fields), then it is revoked all the same', () => {
      expect(decideRevocation({ revokedAt: null }, bySession)).toEqual(bySession);
    });
  });

  describe('given a revoked device', () => {
    const revoked = { revokedAt: new Date('2026-11-01T00:00:00.000Z'), revokedBy: bySession.revokedBy, revocationReason: null };
    it.each([
      ['its owner', byOwner],
      ["its session's end (again)", bySession],
    ])('when %s revokes it, then nothing changes: the first revocation stands', (_who, revocation) => {
      expect(decideRevocation(revoked, revocation)).toBeUndefined();
    });
  });

  it('normalizes a reason and takes an absent one as none', () => {
    expect(revocationReason(undefined)).toEqual({ reason: null });
    expect(revocationReason(null)).toEqual({ reason: null });
    expect(revocationReason('  lost   on the\ntrain ')).toEqual({ reason: 'lost on the train' });
    expect(revocationReason('x'.repeat(200))).toEqual({ reason: 'x'.repeat(200) });
  });

  it.each([
    ['blank', '   '],
    ['longer than 200 characters', 'x'.repeat(201)],
    ['with control characters', 'lost\u0007'],
  ])('refuses a reason %s rather than dropping it', (_what, raw) => {
    expect(revocationReason(raw)).toEqual({ problem: expect.stringMatching(/^reason /) });
  });

  it('names the revoker by who acted: the owner, an administrator, or support', () => {
    expect(revokerOf({ id: 'acc_1', type: 'account' })).toEqual({ kind: 'OWNER', accountId: 'acc_1' });
    expect(revokerOf({ id: 'acc_2', type: 'tenant_admin' })).toEqual({ kind: 'TENANT_ADMIN', accountId: 'acc_2' });
    expect(revokerOf({ id: 'acc_3', type: 'operator' })).toEqual({ kind: 'SUPPORT', accountId: 'acc_3' });
    expect(() => revokerOf({ id: 'x', type: 'system' })).toThrow();
    expect(revokerFields({ kind: 'SUPPORT', accountId: 'acc_3' })).toEqual({
      kind: 'SUPPORT',
      accountId: 'acc_3',
      sessionId: null,
      sessionEndReason: null,
    });
  });

  it("shows every kind's fields, null where they do not apply", () => {
    expect(revokerFields(byOwner.revokedBy)).toEqual({
      kind: 'OWNER',
      accountId: 'acc_1',
      sessionId: null,
      sessionEndReason: null,
    });
    expect(revokerFields(bySession.revokedBy)).toEqual({
      kind: 'SESSION_REVOKED',
      accountId: null,
      sessionId: 'ses_1',
      sessionEndReason: 'SIGNED_OUT',
    });
  });
});
