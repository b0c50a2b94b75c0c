import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { signCompactJwt } from './compact-jwt';

describe('signCompactJwt', () => {
  it.each(['ES256', 'EdDSA'] as const)('signs %s tokens that jose verifies, header and claims as given', async (alg) => {
    const { privateKey } = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
    const now = Math.floor(Date.now() / 1000);
    const token = signCompactJwt(
      { alg, typ: 'at+jwt', kid: 'k1' },
      { sub: 'acc_1', iat: now, exp: now + 60, roles: ['a'] },
      privateKey,
    );
    const { payload, protectedHeader } = await jwtVerify(token, createPublicKey(privateKey), {
      algorithms: [alg],
      typ: 'at+jwt',
    });
    expect(protectedHeader).toEqual({ alg, typ: 'at+jwt', kid: 'k1' });
    expect(payload).toEqual({ sub: 'acc_1', iat: now, exp: now + 60, roles: ['a'] });
  });

  it('is refused under another key and when a byte of the payload changes', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const token = signCompactJwt({ alg: 'ES256' }, { sub: 'acc_1' }, privateKey);
    await expect(jwtVerify(token, other.publicKey)).rejects.toThrow();
    const [header, payload, signature] = token.split('.');
    const altered = `${header}.${Buffer.from('{"sub":"acc_2"}').toString('base64url')}.${signature}`;
    expect(payload).not.toBe(altered.split('.')[1]);
    await expect(jwtVerify(altered, createPublicKey(privateKey))).rejects.toThrow();
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256' });
  });
});
