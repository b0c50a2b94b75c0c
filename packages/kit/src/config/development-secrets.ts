import { generateKeyPairSync, hkdfSync, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { localDataDir } from '../core/repo-paths';

/** Secrets every process of one deployment must share. */
export interface SharedSecrets {
  GATEWAY_ASSERTION_PRIVATE_KEY: string;
  GATEWAY_ASSERTION_PUBLIC_KEY: string;
  SECRETS_ENCRYPTION_KEYS: string;
  /**
   * `keyId:base64(32 bytes)[,older…]`, shared by the tenant and identity subgraphs alone: seals
   * upstream client secrets inside provider events, so other consumers of the topic see ciphertext.
   */
  PROVIDER_SECRETS_KEYS: string;
}

const encryptionKey = (bytes: Buffer) => `dev1:${bytes.toString('base64')}`;

export function generateSharedSecrets(): SharedSecrets {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const kid = `gw-${randomBytes(4).toString('hex')}`;
  return {
    GATEWAY_ASSERTION_PRIVATE_KEY: JSON.stringify({ ...privateKey.export({ format: 'jwk' }), kid }),
    GATEWAY_ASSERTION_PUBLIC_KEY: JSON.stringify({ ...publicKey.export({ format: 'jwk' }), kid }),
    SECRETS_ENCRYPTION_KEYS: encryptionKey(randomBytes(32)),
    PROVIDER_SECRETS_KEYS: encryptionKey(randomBytes(32)),
  };
}

/**
 * Secrets added after a development file was written: derived from the file's own secrets
 * (HKDF, one label per variable), so every process reading an older file arrives at the same
 * value without rewriting the file, and no two processes race to add it.
 */
const LATER_SECRETS: Partial<Record<keyof SharedSecrets, (seed: string) => string>> = {
  PROVIDER_SECRETS_KEYS: (seed) =>
    encryptionKey(Buffer.from(hkdfSync('sha256', seed, '', 'messngr development PROVIDER_SECRETS_KEYS', 32))),
};

function completed(stored: Partial<SharedSecrets>): SharedSecrets {
  const seed = [stored.GATEWAY_ASSERTION_PRIVATE_KEY, stored.SECRETS_ENCRYPTION_KEYS].join('\n');
  const secrets = { ...stored };
  for (const [name, derive] of Object.entries(LATER_SECRETS) as [keyof SharedSecrets, (seed: string) => string][]) {
    if (!secrets[name]) secrets[name] = derive(seed);
  }
  return secrets as SharedSecrets;
}

/**
 * In development and tests, secrets missing from the environment come from a git-ignored file
 * created on first use, so separately started processes agree without anyone committing
 * or pasting keys. Production never reaches this: its config requires the variables.
 */
export function withDevelopmentSecrets(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  // Only an explicit development or test environment gets generated secrets; unset means production.
  if (env['NODE_ENV'] !== 'development' && env['NODE_ENV'] !== 'test') return env;
  const secrets = loadOrCreateDevelopmentSecrets();
  const filled: NodeJS.ProcessEnv = { ...env };
  for (const [name, value] of Object.entries(secrets)) {
    if (!filled[name]) filled[name] = value;
  }
  return filled;
}

export function loadOrCreateDevelopmentSecrets(dir: string = localDataDir()): SharedSecrets {
  const file = join(dir, 'development-secrets.json');
  try {
    return completed(JSON.parse(readFileSync(file, 'utf8')) as Partial<SharedSecrets>);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const draft = `${file}.${process.pid}.tmp`;
  writeFileSync(draft, JSON.stringify(generateSharedSecrets(), null, 2), { mode: 0o600 });
  try {
    // link() fails if another process created the file first; then everyone uses theirs.
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(draft, { force: true });
  }
  return completed(JSON.parse(readFileSync(file, 'utf8')) as Partial<SharedSecrets>);
}
