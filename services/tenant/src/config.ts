import { env, parseEnv, parseServiceConfig, withDevelopmentSecrets, type EncryptionKey, type ServiceConfig } from '@messngr/kit';

export const TENANT_DEFAULT_PORT = 4001;

export interface TenantConfig extends ServiceConfig {
  encryptionKeys: EncryptionKey[];
}

const tenantEnvShape = {
  SECRETS_ENCRYPTION_KEYS: env.encryptionKeys(),
};

/** Variables the tenant subgraph reads beyond every subgraph's. */
export const TENANT_ENV_VARIABLES: readonly string[] = Object.keys(tenantEnvShape);

export function parseTenantConfig(rawEnv: NodeJS.ProcessEnv = process.env): TenantConfig {
  const service = parseServiceConfig('tenant', TENANT_DEFAULT_PORT, rawEnv);
  const own = parseEnv(tenantEnvShape, withDevelopmentSecrets(rawEnv));
  return { ...service, encryptionKeys: own.SECRETS_ENCRYPTION_KEYS };
}
