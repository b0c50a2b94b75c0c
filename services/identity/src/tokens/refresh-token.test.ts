import { asTenantId } from '@messngr/kit/core';
import { newRefreshToken, parseRefreshToken } from './refresh-token';

describe('refresh tokens', () => {
  const tenantId = asTenantId('ten_01m8t7tyrrm5pc2sqkgyeaq18y');
  const sessionId = 'ses_01m8t7v01dv6qjw0dz395fgqvj';

  it('carry 256 random bits and are stored only as a hash that parsing recomputes', () => {
    const issued = newRefreshToken(tenantId, sessionId, 3);
    expect(issued.token.split('.').at(-1)).toHaveLength(43);
    expect(issued.token).not.toContain(issued.hash);
    expect(parseRefreshToken(issued.token)).toEqual(issued);
    expect(newRefreshToken(tenantId, sessionId, 3).hash).not.toBe(issued.hash);
  });

  it('refuse anything that is not one of ours', () => {
    const { token } = newRefreshToken(tenantId, sessionId, 0);
    for (const bad of ['', 'garbage', token.replace('mrt1', 'mrt2'), `${token}.x`, token.replace(sessionId, 'ses_x'), token.replace('.0.', '.-1.'), 'x'.repeat(301)]) {
      expect(parseRefreshToken(bad)).toBeUndefined();
    }
  });
});
