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

const IV_BYTES = 12;
/** GCM's full 128-bit tag: a shorter one would be accepted by Node unless the length is set. */
const TAG_BYTES = 16;

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
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.active.key, iv, { authTagLength: TAG_BYTES });
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
    const iv = Buffer.from(sealed.iv, 'base64');
    const tag = Buffer.from(sealed.tag, 'base64');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error('sealed secret has a malformed iv or tag');
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(associatedData));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
  }
}
