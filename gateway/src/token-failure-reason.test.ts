import { InvalidAccessTokenError } from './access-token-verifier';
import { RevokedAccessError, tokenFailureReason } from './token-failure-reason';

describe('tokenFailureReason', () => {
  it('names JOSE failures by what went wrong', () => {
    expect(tokenFailureReason(new InvalidAccessTokenError('ERR_JWT_EXPIRED'))).toBe('expired');
    expect(tokenFailureReason(new InvalidAccessTokenError('ERR_JWS_SIGNATURE_VERIFICATION_FAILED'))).toBe('bad_signature');
    expect(tokenFailureReason(new InvalidAccessTokenError('ERR_SOMETHING_NEW'))).toBe('invalid');
  });

  it('keeps the verifier’s and the revocation list’s own reasons, in snake case', () => {
    expect(tokenFailureReason(new InvalidAccessTokenError('malformed token'))).toBe('malformed_token');
    expect(tokenFailureReason(new InvalidAccessTokenError('unknown issuer'))).toBe('unknown_issuer');
    expect(tokenFailureReason(new RevokedAccessError('session revoked'))).toBe('session_revoked');
  });

  it('never turns an unexpected message into a label of its own', () => {
    expect(tokenFailureReason(new InvalidAccessTokenError('eyJhbGciOi.attacker-chosen'))).toBe('invalid');
    expect(tokenFailureReason(new RevokedAccessError('whatever'))).toBe('revoked');
    expect(tokenFailureReason(new Error('boom'))).toBe('verification_failed');
  });
});
