import { z } from 'zod';
import { subgraphNamed, SUBGRAPHS, type SubgraphName } from '@messngr/contracts';
import { env, parseEnv } from './config';
import { withDevelopmentSecrets } from './development-secrets';

export interface ServiceConfig {
  service: SubgraphName;
  host: string;
  port: number;
  /** The operations port (`/metrics`, `/healthz`, `/readyz`), on `adminHost`; a free port when absent (configs built by hand in tests). */
  adminHost?: string;
  adminPort?: number;
  /** OTEL_EXPORTER_OTLP_ENDPOINT: where spans are exported (OTLP/HTTP); no tracing at all when absent. */
  otlpEndpoint?: string;
  nodeEnv: 'development' | 'test' | 'production';
  production: boolean;
  logLevel: string;
  mongoUri: string;
  mongoDatabase: string;
  kafkaBrokers: string[];
  kafkaGroupId: string;
  assertionPublicKey: string;
}

/** The settings every subgraph reads; each service adds its own beside them. Its default port comes from the contracts. */
export function parseServiceConfig(service: SubgraphName, rawEnv: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const parsed = parseEnv(serviceEnvShape(service), withDevelopmentSecrets(rawEnv));
  return {
    service,
    host: parsed.HOST,
    port: parsed.PORT,
    adminHost: parsed.ADMIN_HOST,
    adminPort: parsed.ADMIN_PORT,
    ...(parsed.OTEL_EXPORTER_OTLP_ENDPOINT ? { otlpEndpoint: parsed.OTEL_EXPORTER_OTLP_ENDPOINT } : {}),
    nodeEnv: parsed.NODE_ENV,
    production: parsed.NODE_ENV === 'production',
    logLevel: parsed.LOG_LEVEL,
    mongoUri: parsed.MONGODB_URI,
    mongoDatabase: parsed.MONGODB_DATABASE,
    kafkaBrokers: parsed.KAFKA_BROKERS,
    kafkaGroupId: parsed.KAFKA_GROUP_ID,
    assertionPublicKey: parsed.GATEWAY_ASSERTION_PUBLIC_KEY,
  };
}

function serviceEnvShape(service: SubgraphName) {
  return {
    NODE_ENV: env.nodeEnv(),
    HOST: env.host(),
    PORT: env.port(subgraphNamed(service).port),
    ADMIN_HOST: env.host(),
    ADMIN_PORT: env.port(subgraphNamed(service).adminPort),
    OTEL_EXPORTER_OTLP_ENDPOINT: env.url().optional(),
    LOG_LEVEL: env.logLevel(),
    MONGODB_URI: env.mongoUri('mongodb://127.0.0.1:27017'),
    MONGODB_DATABASE: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,63}$/)
      .default(`messngr_${service}`),
    KAFKA_BROKERS: env.brokers('127.0.0.1:9092'),
    KAFKA_GROUP_ID: z.string().min(1).default(`messngr-${service}`),
    GATEWAY_ASSERTION_PUBLIC_KEY: z.string().refine(isJson, 'must be a JSON Web Key (Ed25519 public key)'),
  };
}

/** Every variable a subgraph reads (besides MESSNGR_DATA_DIR for development secrets). */
export const SERVICE_ENV_VARIABLES: readonly string[] = Object.keys(serviceEnvShape(SUBGRAPHS[0].name));

function isJson(value: string): boolean {
  try {
    JSON.parse(value);
    return true;
  } catch {
    return false;
  }
}
