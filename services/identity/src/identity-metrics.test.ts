import { DomainError } from '@messngr/kit/errors';
import { createMetrics } from '@messngr/kit/metrics';
import { countedSignIn, identityMetrics, outcomeOf } from './identity-metrics';

describe('identity metrics', () => {
  it('exposes sign-ins, refreshes, code sends and lockouts under their names and labels', async () => {
    const metrics = createMetrics('identity');
    const counted = identityMetrics(metrics);
    counted.signIn('CODE', 'SIGNED_IN');
    counted.signIn('CODE', outcomeOf(new DomainError('INVALID_CODE', 'The code is wrong.', 400)));
    counted.refresh('ROTATED');
    counted.codeSent('EMAIL', 'SIGN_IN', 'SENT');
    counted.lockout('PHONE');
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^identity_sign_ins_total\{method="CODE",outcome="SIGNED_IN",service="identity"\} 1$/m);
    expect(text).toMatch(/^identity_sign_ins_total\{method="CODE",outcome="INVALID_CODE",service="identity"\} 1$/m);
    expect(text).toMatch(/^identity_session_refreshes_total\{outcome="ROTATED",service="identity"\} 1$/m);
    expect(text).toMatch(/^identity_otp_sends_total\{channel="EMAIL",purpose="SIGN_IN",outcome="SENT",service="identity"\} 1$/m);
    expect(text).toMatch(/^identity_login_lockouts_total\{channel="PHONE",service="identity"\} 1$/m);
  });

  it('labels anything but a domain error ERROR, so no message becomes a label', () => {
    expect(outcomeOf(new Error('connection reset by 10.0.0.7'))).toBe('ERROR');
  });

  it('finds its counters again when built twice on one registry (a restarted part)', () => {
    const metrics = createMetrics('identity');
    identityMetrics(metrics).signIn('CODE', 'SIGNED_IN');
    expect(() => identityMetrics(metrics)).not.toThrow();
  });

  it('counts every door a session begins through, by outcome, and passes the refusal on', async () => {
    const metrics = createMetrics('identity');
    const counted = identityMetrics(metrics);
    await expect(countedSignIn(counted, 'PROVIDER', async () => 'signed in')).resolves.toBe('signed in');
    const refusal = new DomainError('INVALID_CODE', 'The recovery code is wrong.', 400);
    await expect(countedSignIn(counted, 'RECOVERY_CODE', () => Promise.reject(refusal))).rejects.toBe(refusal);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^identity_sign_ins_total\{method="PROVIDER",outcome="SIGNED_IN",service="identity"\} 1$/m);
    expect(text).toMatch(/^identity_sign_ins_total\{method="RECOVERY_CODE",outcome="INVALID_CODE",service="identity"\} 1$/m);
  });
});
