import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { localDataDir } from '../core/repo-paths';

/** Secrets every process of one deployment must share. */
export interface SharedSecrets {
  GATEWAY_ASSERTION_PRIVATE_KEY: string;
  GATEWAY_ASSERTION_PUBLIC_KEY: string;
  SECRETS_ENCRYPTION_KEYS: string;
}

export function generateSharedSecrets(): SharedSecrets {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const kid = `gw-${randomBytes(4).toString('hex')}`;
  return {
    GATEWAY_ASSERTION_PRIVATE_KEY: JSON.stringify({ ...privateKey.export({ format: 'jwk' }), kid }),
    GATEWAY_ASSERTION_PUBLIC_KEY: JSON.stringify({ ...publicKey.export({ format: 'jwk' }), kid }),
    SECRETS_ENCRYPTION_KEYS: `dev1:${randomBytes(32).toString('base64')}`,
  };
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
    return JSON.parse(readFileSync(file, 'utf8')) as SharedSecrets;
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
  return JSON.parse(readFileSync(file, 'utf8')) as SharedSecrets;
}
