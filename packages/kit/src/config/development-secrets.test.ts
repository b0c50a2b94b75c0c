import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEncryptionKeys } from '../core/secret-box';
import { generateSharedSecrets, loadOrCreateDevelopmentSecrets } from './development-secrets';

describe('development secrets', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dev-secrets-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('are created once and then read back by every process', () => {
    const first = loadOrCreateDevelopmentSecrets(dir);
    expect(loadOrCreateDevelopmentSecrets(dir)).toEqual(first);
    expect(parseEncryptionKeys(first.SECRETS_ENCRYPTION_KEYS)).toHaveLength(1);
    expect(parseEncryptionKeys(first.PROVIDER_SECRETS_KEYS)).toHaveLength(1);
    expect(first.PROVIDER_SECRETS_KEYS).not.toBe(first.SECRETS_ENCRYPTION_KEYS);
  });

  it('complete a file written before PROVIDER_SECRETS_KEYS existed the same way each time, without rewriting it', () => {
    const { PROVIDER_SECRETS_KEYS: _absent, ...older } = generateSharedSecrets();
    const file = join(dir, 'development-secrets.json');
    writeFileSync(file, JSON.stringify(older));

    const read = loadOrCreateDevelopmentSecrets(dir);
    expect(read).toMatchObject(older);
    const [key] = parseEncryptionKeys(read.PROVIDER_SECRETS_KEYS);
    expect(key?.key).toHaveLength(32);
    expect(read.PROVIDER_SECRETS_KEYS).not.toBe(read.SECRETS_ENCRYPTION_KEYS);
    expect(loadOrCreateDevelopmentSecrets(dir).PROVIDER_SECRETS_KEYS).toBe(read.PROVIDER_SECRETS_KEYS);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(older);

    // Another deployment's file derives another key.
    const { PROVIDER_SECRETS_KEYS: _other, ...another } = generateSharedSecrets();
    writeFileSync(file, JSON.stringify(another));
    expect(loadOrCreateDevelopmentSecrets(dir).PROVIDER_SECRETS_KEYS).not.toBe(read.PROVIDER_SECRETS_KEYS);
  });
});
