import { z } from 'zod';
import { env, parseEnv, parseServiceConfig, withDevelopmentSecrets, type ServiceConfig } from '@messngr/kit/config';
import type { EncryptionKey } from '@messngr/kit/core';
import { DELIVERY_ENV_VARIABLES, parseDeliveryConfig, type DeliveryConfig } from './delivery/delivery-config';

export interface IdentityConfig extends ServiceConfig {
  publicUrl: string;
  encryptionKeys: EncryptionKey[];
  accessTokenAudience: string;
  accessTokenTtlSeconds: number;
  /** A tenant's newest signing key older than this is rotated by the schedule. */
  signingKeyRotationDays: number;
  /** A new signing key is published this long before it signs. */
  signingKeyOverlapSeconds: number;
  delivery: DeliveryConfig;
  /** Opens the upstream client secrets the tenant subgraph seals into its provider events. */
  providerSecretsKeys: EncryptionKey[];
  /** Networks upstream providers may live on although private or loopback (tests, on-premises providers). */
  outboundAllowedNetworks: string[];
}

const identityEnvShape = {
  PUBLIC_URL: env.url('http://127.0.0.1:4000'),
  SECRETS_ENCRYPTION_KEYS: env.encryptionKeys(),
  ACCESS_TOKEN_AUDIENCE: z.string().min(1).default('messngr'),
  ACCESS_TOKEN_TTL_SECONDS: env.seconds(600, 300, 900),
  SIGNING_KEY_ROTATION_DAYS: env.seconds(30, 1, 365),
  SIGNING_KEY_OVERLAP_SECONDS: env.seconds(600, 0, 86_400),
  PROVIDER_SECRETS_KEYS: env.encryptionKeys(),
  OUTBOUND_ALLOWED_NETWORKS: env.networks(''),
};

/** Variables the identity subgraph reads beyond every subgraph's. */
export const IDENTITY_ENV_VARIABLES: readonly string[] = [...Object.keys(identityEnvShape), ...DELIVERY_ENV_VARIABLES];

export function parseIdentityConfig(rawEnv: NodeJS.ProcessEnv = process.env): IdentityConfig {
  const service = parseServiceConfig('identity', rawEnv);
  const own = parseEnv(identityEnvShape, withDevelopmentSecrets(rawEnv));
  return {
    ...service,
    publicUrl: own.PUBLIC_URL.replace(/\/+$/, ''),
    encryptionKeys: own.SECRETS_ENCRYPTION_KEYS,
    accessTokenAudience: own.ACCESS_TOKEN_AUDIENCE,
    accessTokenTtlSeconds: own.ACCESS_TOKEN_TTL_SECONDS,
    signingKeyRotationDays: own.SIGNING_KEY_ROTATION_DAYS,
    signingKeyOverlapSeconds: own.SIGNING_KEY_OVERLAP_SECONDS,
    delivery: parseDeliveryConfig(rawEnv, service.production),
    providerSecretsKeys: own.PROVIDER_SECRETS_KEYS,
    outboundAllowedNetworks: own.OUTBOUND_ALLOWED_NETWORKS,
  };
}
