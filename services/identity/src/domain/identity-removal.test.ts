import type { StoredIdentity } from './identity';
import { decideRemoval, decideRevocation } from './identity-removal';

const identity = (id: string, verified: boolean): StoredIdentity => ({
  id,
  kind: 'EMAIL',
  providerId: null,
  value: `${id}@example.test`,
  issuer: null,
  subject: null,
  displayValue: `${id[0]}***@example.test`,
  verified,
  verifiedAt: verified ? new Date(0) : null,
  linkedAt: new Date(0),
  lastUsedAt: null,
});

describe('removing an identity', () => {
  it('removes one while another verified identity remains', () => {
    const decision = decideRemoval([identity('a', true), identity('b', true)], 'a');
    expect(decision).toEqual({ removed: identity('a', true), remaining: [identity('b', true)] });
  });

  it('refuses the last verified identity, even with unverified ones left', () => {
    expect(decideRemoval([identity('a', true), identity('b', false)], 'a')).toEqual({ refusal: 'LAST_VERIFIED_IDENTITY' });
    expect(decideRemoval([identity('a', true)], 'a')).toEqual({ refusal: 'LAST_VERIFIED_IDENTITY' });
  });

  it('may remove an unverified identity beside the one verified', () => {
    expect(decideRemoval([identity('a', true), identity('b', false)], 'b')).toMatchObject({ removed: { id: 'b' } });
  });

  it('finds nothing by an unknown id', () => {
    expect(decideRemoval([identity('a', true)], 'zzz')).toEqual({ refusal: 'NOT_FOUND' });
  });

  it('revokes a compromised identity even when it is the last verified one', () => {
    expect(decideRevocation([identity('a', true)], 'a')).toEqual({ removed: identity('a', true), remaining: [] });
  });
});
