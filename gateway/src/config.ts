import { z } from 'zod';
import { GATEWAY, SUBGRAPHS, type SubgraphName } from '@messngr/contracts';
import { env, parseEnv, withDevelopmentSecrets } from '@messngr/kit/config';

export const GATEWAY_DEFAULT_PORT = GATEWAY.port;

export interface GatewayConfig {
  host: string;
  port: number;
  /** The operations port: `/healthz`, `/readyz` and `/metrics` answer here, not on the public port. */
  adminHost: string;
  adminPort: number;
  /** OTEL_EXPORTER_OTLP_ENDPOINT: where spans are exported (OTLP/HTTP); no tracing at all when absent. */
  otlpEndpoint?: string;
  production: boolean;
  logLevel: string;
  publicUrl: string;
  subgraphUrls: Record<SubgraphName, string>;
  assertionPrivateKey: string;
  accessTokenAudience: string;
  /** Tokens issued longer ago than this are refused whatever their expiry (the longest lifetime identity issues). */
  accessTokenMaxAgeSeconds: number;
  /** Where revocations, disabled accounts and suspended tenants come from. */
  kafkaBrokers: string[];
  supergraphPath: string;
}

export function parseGatewayConfig(rawEnv: NodeJS.ProcessEnv = process.env, defaultSupergraphPath: string): GatewayConfig {
  const parsed = parseEnv(gatewayEnvShape(defaultSupergraphPath), withDevelopmentSecrets(rawEnv));
  const trim = (url: string) => url.replace(/\/+$/, '');
  // Every name of SUBGRAPHS gets its URL here, so the record is complete.
  const subgraphUrls = Object.fromEntries(SUBGRAPHS.map((subgraph) => [subgraph.name, trim(parsed[subgraph.urlVariable])]));
  return {
    host: parsed.HOST,
    port: parsed.PORT,
    adminHost: parsed.ADMIN_HOST,
    adminPort: parsed.ADMIN_PORT,
    ...(parsed.OTEL_EXPORTER_OTLP_ENDPOINT ? { otlpEndpoint: parsed.OTEL_EXPORTER_OTLP_ENDPOINT } : {}),
    production: parsed.NODE_ENV === 'production',
    logLevel: parsed.LOG_LEVEL,
    publicUrl: trim(parsed.PUBLIC_URL),
    subgraphUrls: subgraphUrls as Record<SubgraphName, string>,
    assertionPrivateKey: parsed.GATEWAY_ASSERTION_PRIVATE_KEY,
    accessTokenAudience: parsed.ACCESS_TOKEN_AUDIENCE,
    accessTokenMaxAgeSeconds: parsed.ACCESS_TOKEN_MAX_AGE_SECONDS,
    kafkaBrokers: parsed.KAFKA_BROKERS,
    supergraphPath: parsed.SUPERGRAPH_PATH,
  };
}

type SubgraphUrlVariable = (typeof SUBGRAPHS)[number]['urlVariable'];

/** TENANT_URL, IDENTITY_URL, ...: each subgraph's base URL, defaulting to its port on loopback. */
function subgraphUrlShape() {
  const shape = Object.fromEntries(
    SUBGRAPHS.map((subgraph) => [subgraph.urlVariable, env.url(`http://127.0.0.1:${subgraph.port}`)]),
  );
  return shape as Record<SubgraphUrlVariable, ReturnType<typeof env.url>>;
}

function gatewayEnvShape(defaultSupergraphPath: string) {
  return {
    NODE_ENV: env.nodeEnv(),
    HOST: env.host(),
    PORT: env.port(GATEWAY.port),
    ADMIN_HOST: env.host(),
    ADMIN_PORT: env.port(GATEWAY.adminPort),
    LOG_LEVEL: env.logLevel(),
    OTEL_EXPORTER_OTLP_ENDPOINT: env.url().optional(),
    PUBLIC_URL: env.url(`http://127.0.0.1:${GATEWAY.port}`),
    ...subgraphUrlShape(),
    GATEWAY_ASSERTION_PRIVATE_KEY: z.string().min(1),
    ACCESS_TOKEN_AUDIENCE: z.string().min(1).default('messngr'),
    ACCESS_TOKEN_MAX_AGE_SECONDS: env.seconds(900, 60, 3600),
    KAFKA_BROKERS: env.brokers('127.0.0.1:9092'),
    SUPERGRAPH_PATH: z.string().min(1).default(defaultSupergraphPath),
  };
}

/** Every variable the gateway reads (besides MESSNGR_DATA_DIR for development secrets). */
export const GATEWAY_ENV_VARIABLES: readonly string[] = Object.keys(gatewayEnvShape(''));
