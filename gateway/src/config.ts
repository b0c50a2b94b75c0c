import { z } from 'zod';
import { env, parseEnv, withDevelopmentSecrets } from '@messngr/kit';

export const GATEWAY_DEFAULT_PORT = 4000;
export const SUBGRAPH_NAMES = ['tenant', 'identity', 'device', 'audit'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

export interface GatewayConfig {
  host: string;
  port: number;
  production: boolean;
  logLevel: string;
  publicUrl: string;
  subgraphUrls: Record<SubgraphName, string>;
  assertionPrivateKey: string;
  accessTokenAudience: string;
  supergraphPath: string;
}

export function parseGatewayConfig(rawEnv: NodeJS.ProcessEnv = process.env, defaultSupergraphPath: string): GatewayConfig {
  const parsed = parseEnv(gatewayEnvShape(defaultSupergraphPath), withDevelopmentSecrets(rawEnv));
  const trim = (url: string) => url.replace(/\/+$/, '');
  return {
    host: parsed.HOST,
    port: parsed.PORT,
    production: parsed.NODE_ENV === 'production',
    logLevel: parsed.LOG_LEVEL,
    publicUrl: trim(parsed.PUBLIC_URL),
    subgraphUrls: {
      tenant: trim(parsed.TENANT_URL),
      identity: trim(parsed.IDENTITY_URL),
      device: trim(parsed.DEVICE_URL),
      audit: trim(parsed.AUDIT_URL),
    },
    assertionPrivateKey: parsed.GATEWAY_ASSERTION_PRIVATE_KEY,
    accessTokenAudience: parsed.ACCESS_TOKEN_AUDIENCE,
    supergraphPath: parsed.SUPERGRAPH_PATH,
  };
}

function gatewayEnvShape(defaultSupergraphPath: string) {
  return {
    NODE_ENV: env.nodeEnv(),
    HOST: env.host(),
    PORT: env.port(GATEWAY_DEFAULT_PORT),
    LOG_LEVEL: env.logLevel(),
    PUBLIC_URL: env.url('http://127.0.0.1:4000'),
    TENANT_URL: env.url('http://127.0.0.1:4001'),
    IDENTITY_URL: env.url('http://127.0.0.1:4002'),
    DEVICE_URL: env.url('http://127.0.0.1:4003'),
    AUDIT_URL: env.url('http://127.0.0.1:4004'),
    GATEWAY_ASSERTION_PRIVATE_KEY: z.string().min(1),
    ACCESS_TOKEN_AUDIENCE: z.string().min(1).default('messngr'),
    SUPERGRAPH_PATH: z.string().min(1).default(defaultSupergraphPath),
  };
}

/** Every variable the gateway reads (besides MESSNGR_DATA_DIR for development secrets). */
export const GATEWAY_ENV_VARIABLES: readonly string[] = Object.keys(gatewayEnvShape(''));
