import { randomBytes } from 'node:crypto';
import { parseEncryptionKeys, SecretBox } from './secret-box';

const key = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

describe('SecretBox', () => {
  it('seals with the first key and opens with any listed key', () => {
    const [oldKey, newKey] = [key('k1'), key('k2')];
    const sealed = new SecretBox(parseEncryptionKeys(oldKey)).seal('client-secret', 'idp:1');
    expect(sealed.keyId).toBe('k1');
    expect(sealed.ciphertext).not.toContain('client-secret');
    const rotated = new SecretBox(parseEncryptionKeys(`${newKey},${oldKey}`));
    expect(rotated.open(sealed, 'idp:1')).toBe('client-secret');
    expect(rotated.seal('x', 'a').keyId).toBe('k2');
  });

  it('refuses a ciphertext moved to another record or tampered with', () => {
    const box = new SecretBox(parseEncryptionKeys(key('k1')));
    const sealed = box.seal('client-secret', 'idp:1');
    expect(() => box.open(sealed, 'idp:2')).toThrow();
    const flipped = Buffer.from(sealed.ciphertext, 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => box.open({ ...sealed, ciphertext: flipped.toString('base64') }, 'idp:1')).toThrow();
  });

  it('refuses a truncated authentication tag, which GCM would otherwise check against fewer bits', () => {
    const box = new SecretBox(parseEncryptionKeys(key('k1')));
    const sealed = box.seal('client-secret', 'idp:1');
    const tag = Buffer.from(sealed.tag, 'base64');
    for (const length of [4, 8, 12, 15]) {
      expect(() => box.open({ ...sealed, tag: tag.subarray(0, length).toString('base64') }, 'idp:1')).toThrow();
    }
    expect(box.open(sealed, 'idp:1')).toBe('client-secret');
  });

  it('rejects malformed key lists', () => {
    expect(() => parseEncryptionKeys('')).toThrow(/at least one/);
    expect(() => parseEncryptionKeys('nocolon')).toThrow(/keyId/);
    expect(() => parseEncryptionKeys(`k1:${randomBytes(16).toString('base64')}`)).toThrow(/32 bytes/);
  });
});
