import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** An AES-256-GCM ciphertext with the id of the key that sealed it, so keys can rotate. */
export interface SealedSecret {
  keyId: string;
  iv: string;
  tag: string;
  ciphertext: string;
}

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

/**
 * Parses `id1:base64key,id0:base64key`: the first key seals, every listed key opens.
 * Each key must be 32 bytes.
 */
export function parseEncryptionKeys(value: string): EncryptionKey[] {
  const keys = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const separator = entry.indexOf(':');
      if (separator <= 0) throw new Error('each encryption key must be written as <keyId>:<base64 32-byte key>');
      const key = Buffer.from(entry.slice(separator + 1), 'base64');
      if (key.length !== 32) throw new Error(`encryption key "${entry.slice(0, separator)}" is not 32 bytes`);
      return { id: entry.slice(0, separator), key };
    });
  if (keys.length === 0) throw new Error('at least one encryption key is required');
  return keys;
}

export class SecretBox {
  private readonly byId: Map<string, Buffer>;
  private readonly active: EncryptionKey;

  constructor(keys: EncryptionKey[]) {
    const [active] = keys;
    if (!active) throw new Error('SecretBox needs at least one key');
    this.active = active;
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  seal(plaintext: string, associatedData: string): SealedSecret {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.active.key, iv);
    cipher.setAAD(Buffer.from(associatedData));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return {
      keyId: this.active.id,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      ciphertext: ciphertext.toString('base64'),
    };
  }

  /** `associatedData` binds the ciphertext to its owner (e.g. the record id): moved elsewhere, it fails to open. */
  open(sealed: SealedSecret, associatedData: string): string {
    const key = this.byId.get(sealed.keyId);
    if (!key) throw new Error(`no encryption key with id "${sealed.keyId}" is configured`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(associatedData));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
  }
}
