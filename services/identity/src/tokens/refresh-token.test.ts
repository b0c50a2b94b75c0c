import { asTenantId } from '@messngr/kit/core';
import { newRefreshToken, parseRefreshToken } from './refresh-token';

describe('refresh tokens', () => {
  const tenantId = asTenantId('ten_01m8t7tyrrm5pc2sqkgyeaq18y');
  const sessionId = 'ses_01m8t7v01dv6qjw0dz395fgqvj';

  it('carry 256 random bits and are stored only as a hash that parsing recomputes', () => {
    const issued = newRefreshToken(tenantId, sessionId, 3, 7);
    expect(issued.token.split('.').at(-1)).toHaveLength(43);
    expect(issued.token).not.toContain(issued.hash);
    expect(parseRefreshToken(issued.token)).toEqual(issued);
    expect(newRefreshToken(tenantId, sessionId, 3, 7).hash).not.toBe(issued.hash);
    // The session version is a hint for the next rotation's guarded write, not part of the secret.
    expect(parseRefreshToken(issued.token)).toMatchObject({ generation: 3, sessionVersion: 7 });
  });

  it('refuse anything that is not one of ours', () => {
    const { token } = newRefreshToken(tenantId, sessionId, 0, 2);
    for (const bad of [
      '',
      'garbage',
      token.replace('mrt1', 'mrt2'),
      `${token}.x`,
      token.replace(sessionId, 'ses_x'),
      token.replace('.0.', '.-1.'),
      token.replace('.2.', '.v2.'),
      token.replace('.0.2.', '.0.'),
      'x'.repeat(301),
    ]) {
      expect(parseRefreshToken(bad)).toBeUndefined();
    }
  });
});
