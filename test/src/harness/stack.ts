import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createAuditService } from '@messngr/audit';
import { createDeviceService } from '@messngr/device';
import { createGateway, DEFAULT_SUPERGRAPH_PATH, type Gateway } from '@messngr/gateway';
import { createIdentityService, type IdentityConfig, type IdentityServiceParts } from '@messngr/identity';
import {
  createLogger,
  generateSharedSecrets,
  openServiceRuntime,
  parseEncryptionKeys,
  runService,
  type Listening,
  type RunningService,
  type ServiceConfig,
  type ServiceParts,
  type ServiceRuntime,
  type SharedSecrets,
} from '@messngr/kit';
import { createTenantService, type TenantConfig } from '@messngr/tenant';
import { CapturedLogs } from './captured-logs';
import { freePort } from './free-port';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const run = promisify(execFile);

export interface GraphQLResponse<Data = Record<string, unknown>> {
  status: number;
  data?: Data | null;
  errors?: { message: string; extensions?: { code?: string } & Record<string, unknown>; path?: (string | number)[] }[];
}

export interface Stack {
  gatewayUrl: string;
  publicUrl: string;
  subgraphUrls: Record<'tenant' | 'identity' | 'device' | 'audit', string>;
  secrets: SharedSecrets;
  databases: Record<'tenant' | 'identity' | 'device' | 'audit', string>;
  logs: CapturedLogs;
  services: Record<'tenant' | 'identity' | 'device' | 'audit', RunningService>;
  /** A platform-admin token from the operator CLI (`npm run cli -- admin-token`), as a developer gets one. */
  adminTokenFromCli(): Promise<string>;
  /**
   * An access token for any account and roles, signed with the tenant's real key: the
   * test door to tenant admins and ordinary users until sign-in exists.
   */
  issueToken(claims: { tenantId: string; accountId: string; roles?: string[] }): Promise<string>;
  graphql<Data = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GraphQLResponse<Data>>;
  stop(): Promise<void>;
}

/**
 * The whole supergraph in this process: four subgraphs and the gateway on free loopback
 * ports, on the real Kafka and MongoDB-compatible server from the global setup. Each
 * stack has its own databases and consumer groups, so test files do not see each other's state.
 */
export async function startStack(): Promise<Stack> {
  const mongoUri = requiredEnv('MONGODB_URI');
  const brokers = requiredEnv('KAFKA_BROKERS').split(',');
  const id = randomBytes(4).toString('hex');
  const secrets = generateSharedSecrets();
  const logs = new CapturedLogs();
  const gatewayPort = await freePort();
  const publicUrl = `http://127.0.0.1:${gatewayPort}`;
  const databases = {
    tenant: `e2e_${id}_tenant`,
    identity: `e2e_${id}_identity`,
    device: `e2e_${id}_device`,
    audit: `e2e_${id}_audit`,
  };

  const baseConfig = (service: keyof typeof databases): ServiceConfig => ({
    service,
    host: '127.0.0.1',
    port: 0,
    nodeEnv: 'test',
    production: false,
    logLevel: process.env['E2E_LOG_LEVEL'] ?? 'info',
    mongoUri,
    mongoDatabase: databases[service],
    kafkaBrokers: brokers,
    kafkaGroupId: `e2e-${id}-${service}`,
    assertionPublicKey: secrets.GATEWAY_ASSERTION_PUBLIC_KEY,
  });
  const tenantConfig: TenantConfig = {
    ...baseConfig('tenant'),
    encryptionKeys: parseEncryptionKeys(secrets.SECRETS_ENCRYPTION_KEYS),
  };
  const identityConfig: IdentityConfig = {
    ...baseConfig('identity'),
    publicUrl,
    encryptionKeys: parseEncryptionKeys(secrets.SECRETS_ENCRYPTION_KEYS),
    accessTokenAudience: 'messngr',
    accessTokenTtlSeconds: 600,
  };

  const started: RunningService[] = [];
  const bring = async (config: ServiceConfig, build: (runtime: ServiceRuntime) => Promise<ServiceParts>) => {
    const logger = createLogger({ service: config.service, level: config.logLevel, destination: logs });
    const runtime = await openServiceRuntime(config, { logger });
    try {
      const service = await runService(runtime, await build(runtime));
      started.push(service);
      return service;
    } catch (error) {
      await runtime.close().catch(() => undefined);
      throw error;
    }
  };

  let gateway: Gateway | undefined;
  let gatewayListening: Listening | undefined;
  try {
    const [tenant, identity, device, audit] = await Promise.all([
      bring(tenantConfig, (runtime) => createTenantService(runtime, tenantConfig)),
      bring(identityConfig, (runtime) => createIdentityService(runtime, identityConfig)),
      bring(baseConfig('device'), createDeviceService),
      bring(baseConfig('audit'), createAuditService),
    ]);
    const subgraphUrls = { tenant: tenant.url, identity: identity.url, device: device.url, audit: audit.url };
    gateway = await createGateway(
      {
        host: '127.0.0.1',
        port: gatewayPort,
        production: false,
        logLevel: 'info',
        publicUrl,
        subgraphUrls,
        assertionPrivateKey: secrets.GATEWAY_ASSERTION_PRIVATE_KEY,
        accessTokenAudience: 'messngr',
        supergraphPath: DEFAULT_SUPERGRAPH_PATH,
      },
      createLogger({ service: 'gateway', destination: logs }),
    );
    gatewayListening = await gateway.listen(gatewayPort, '127.0.0.1');
    const gatewayUrl = `${gatewayListening.url}/graphql`;
    const services = { tenant, identity, device, audit };

    return {
      gatewayUrl,
      publicUrl,
      subgraphUrls,
      secrets,
      databases,
      logs,
      services,
      async adminTokenFromCli() {
        const { stdout } = await run(
          process.execPath,
          ['--import', 'tsx', join(REPO_ROOT, 'services/identity/src/cli/main.ts'), 'admin-token'],
          {
            cwd: REPO_ROOT,
            env: {
              ...process.env,
              NODE_ENV: 'test',
              MONGODB_URI: mongoUri,
              MONGODB_DATABASE: databases.identity,
              KAFKA_BROKERS: brokers.join(','),
              PUBLIC_URL: publicUrl,
              SECRETS_ENCRYPTION_KEYS: secrets.SECRETS_ENCRYPTION_KEYS,
              GATEWAY_ASSERTION_PUBLIC_KEY: secrets.GATEWAY_ASSERTION_PUBLIC_KEY,
            },
          },
        );
        return stdout.trim();
      },
      async issueToken({ tenantId, accountId, roles = [] }) {
        const { tokens } = (identity.parts as IdentityServiceParts).dependencies;
        const issued = await tokens.issue({
          tenantId,
          accountId,
          roles,
          sessionId: `ses_test_${randomBytes(6).toString('hex')}`,
          clientId: 'e2e',
        });
        return issued.token;
      },
      graphql: (query, variables, token) => postGraphQL(gatewayUrl, query, variables, token),
      async stop() {
        await gatewayListening?.close();
        await gateway?.stop();
        await Promise.all(started.map((service) => service.stop()));
      },
    };
  } catch (error) {
    await gatewayListening?.close().catch(() => undefined);
    await Promise.all(started.map((service) => service.stop().catch(() => undefined)));
    throw error;
  }
}

export async function postGraphQL<Data>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
  extraHeaders: Record<string, string> = {},
): Promise<GraphQLResponse<Data>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...extraHeaders },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<Data>, 'status'>;
  return { status: response.status, ...body };
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the e2e global setup should have started the infrastructure`);
  return value;
}

/** A stack and a CLI admin token for the enclosing `describe`, started before its tests and stopped after. */
export function useStack(): { readonly stack: Stack; readonly adminToken: string } {
  const env = {} as { stack: Stack; adminToken: string };
  beforeAll(async () => {
    env.stack = await startStack();
    env.adminToken = await env.stack.adminTokenFromCli();
  });
  afterAll(async () => {
    await env.stack?.stop();
  });
  return env;
}
