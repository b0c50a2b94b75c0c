import { env, parseEnv, parseServiceConfig, withDevelopmentSecrets, type ServiceConfig } from '@messngr/kit/config';
import type { EncryptionKey } from '@messngr/kit/core';

export interface TenantConfig extends ServiceConfig {
  encryptionKeys: EncryptionKey[];
  /** Seal upstream client secrets into provider events for the identity subgraph, which holds the same keys. */
  providerSecretsKeys: EncryptionKey[];
  /** Private networks outbound calls to providers may reach (after DNS); none unless an operator names them. */
  outboundAllowedNetworks: string[];
}

const tenantEnvShape = {
  SECRETS_ENCRYPTION_KEYS: env.encryptionKeys(),
  PROVIDER_SECRETS_KEYS: env.encryptionKeys(),
  OUTBOUND_ALLOWED_NETWORKS: env.networks(''),
};

/** Variables the tenant subgraph reads beyond every subgraph's. */
export const TENANT_ENV_VARIABLES: readonly string[] = Object.keys(tenantEnvShape);

export function parseTenantConfig(rawEnv: NodeJS.ProcessEnv = process.env): TenantConfig {
  const service = parseServiceConfig('tenant', rawEnv);
  const own = parseEnv(tenantEnvShape, withDevelopmentSecrets(rawEnv));
  return {
    ...service,
    encryptionKeys: own.SECRETS_ENCRYPTION_KEYS,
    providerSecretsKeys: own.PROVIDER_SECRETS_KEYS,
    outboundAllowedNetworks: own.OUTBOUND_ALLOWED_NETWORKS,
  };
}
