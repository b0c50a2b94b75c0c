import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SubgraphName } from '@messngr/contracts';
import { startDevMailbox, type DevMailbox } from '@messngr/infra';
import { auditSubgraph } from '@messngr/audit';
import { deviceSubgraph } from '@messngr/device';
import { createGateway, DEFAULT_SUPERGRAPH_PATH, type Gateway, type GatewayListening } from '@messngr/gateway';
import { identitySubgraph } from '@messngr/identity';
import type { IdentityConfig } from '@messngr/identity/src/config';
import { generateSharedSecrets, type ServiceConfig, type SharedSecrets } from '@messngr/kit/config';
import { asTenantId, parseEncryptionKeys, type Clock } from '@messngr/kit/core';
import { createLogger } from '@messngr/kit/logging';
import { startSubgraph, type RunningSubgraph, type SubgraphDefinition } from '@messngr/kit/subgraph';
import { tenantSubgraph } from '@messngr/tenant';
import type { TenantConfig } from '@messngr/tenant/src/config';
import { CapturedLogs } from './captured-logs';
import { freePort } from './free-port';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const run = promisify(execFile);

export interface GraphQLResponse<Data = Record<string, unknown>> {
  status: number;
  data?: Data | null;
  errors?: { message: string; extensions?: { code?: string } & Record<string, unknown>; path?: (string | number)[] }[];
}

type Running = {
  tenant: RunningSubgraph<ReturnType<(typeof tenantSubgraph)['dependencies']>>;
  identity: RunningSubgraph<ReturnType<(typeof identitySubgraph)['dependencies']>>;
  device: RunningSubgraph<ReturnType<(typeof deviceSubgraph)['dependencies']>>;
  audit: RunningSubgraph<ReturnType<(typeof auditSubgraph)['dependencies']>>;
};

export interface Stack {
  gatewayUrl: string;
  /** The gateway's operator port: `/readyz` and `/metrics`. */
  gatewayAdminUrl: string;
  publicUrl: string;
  subgraphUrls: Record<SubgraphName, string>;
  /** Each subgraph's operations port: `/metrics`, `/healthz`, `/readyz`. */
  adminUrls: Record<SubgraphName, string>;
  secrets: SharedSecrets;
  databases: Record<SubgraphName, string>;
  /** Each subgraph's Kafka consumer group. */
  groupIds: Record<SubgraphName, string>;
  logs: CapturedLogs;
  /** A real SMTP server and SMS endpoint on loopback: every code the stack sends arrives here. */
  mailbox: DevMailbox;
  services: Running;
  /**
   * Every code, token and cookie value the tests handled: none may appear in any log line
   * (checked when the stack of a `useStack` block stops).
   */
  handledSecrets: Set<string>;
  /** Stops the gateway and starts a new one on the same port, as a redeploy does; resolves once it is ready. */
  restartGateway(): Promise<void>;
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
  /** Like `graphql`, with a token and extra headers (a client's X-Forwarded-For, user agent, cookies). */
  graphqlAs<Data = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    as?: { token?: string; headers?: Record<string, string> },
  ): Promise<GraphQLResponse<Data>>;
  stop(): Promise<void>;
}

/** Tests allow-list loopback explicitly for outbound calls: their OpenID Providers run there. */
export const TEST_OUTBOUND_NETWORKS = ['127.0.0.0/8', '::1'];

/**
 * The whole supergraph in this process: four subgraphs and the gateway on free loopback
 * ports, on the real Kafka and MongoDB-compatible server from the global setup. Each
 * stack has its own databases and consumer groups, so test files do not see each other's state.
 */
export interface StackOptions {
  /** How long a rotated signing key is published before it signs. */
  signingKeyOverlapSeconds?: number;
  /** The identity subgraph's clock, for tests that move time (code expiry). The gateway keeps real time. */
  identityClock?: Clock;
  /** OTEL_EXPORTER_OTLP_ENDPOINT of every part of the stack: spans are exported there (OTLP/HTTP). */
  otlpEndpoint?: string;
  /** The device subgraph's cap on an account's active devices (its default, 20, when omitted). */
  maxActiveDevicesPerAccount?: number;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
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
  const groupIds = {
    tenant: `e2e-${id}-tenant`,
    identity: `e2e-${id}-identity`,
    device: `e2e-${id}-device`,
    audit: `e2e-${id}-audit`,
  };

  const baseConfig = (service: SubgraphName): ServiceConfig => ({
    service,
    host: '127.0.0.1',
    port: 0,
    nodeEnv: 'test',
    production: false,
    logLevel: process.env['E2E_LOG_LEVEL'] ?? 'info',
    mongoUri,
    mongoDatabase: databases[service],
    kafkaBrokers: brokers,
    kafkaGroupId: groupIds[service],
    assertionPublicKey: secrets.GATEWAY_ASSERTION_PUBLIC_KEY,
    ...(options.otlpEndpoint ? { otlpEndpoint: options.otlpEndpoint } : {}),
  });
  const tenantConfig: TenantConfig = {
    ...baseConfig('tenant'),
    encryptionKeys: parseEncryptionKeys(secrets.SECRETS_ENCRYPTION_KEYS),
    providerSecretsKeys: parseEncryptionKeys(secrets.PROVIDER_SECRETS_KEYS),
    outboundAllowedNetworks: TEST_OUTBOUND_NETWORKS,
  };
  const mailbox = await startDevMailbox({ smtpPort: 0, smsPort: 0 });
  const identityConfig: IdentityConfig = {
    ...baseConfig('identity'),
    publicUrl,
    encryptionKeys: parseEncryptionKeys(secrets.SECRETS_ENCRYPTION_KEYS),
    accessTokenAudience: 'messngr',
    accessTokenTtlSeconds: 600,
    signingKeyRotationDays: 30,
    signingKeyOverlapSeconds: options.signingKeyOverlapSeconds ?? 2,
    providerSecretsKeys: parseEncryptionKeys(secrets.PROVIDER_SECRETS_KEYS),
    outboundAllowedNetworks: TEST_OUTBOUND_NETWORKS,
    delivery: {
      smtpUrl: mailbox.smtpUrl,
      mailFrom: 'Messngr <no-reply@messngr.test>',
      smsGatewayUrl: mailbox.smsUrl,
      smsGatewayToken: 'sms-test-token',
    },
  };

  const started: { stop(): Promise<void> }[] = [];
  const bring = async <Config extends ServiceConfig, Deps>(
    definition: SubgraphDefinition<Config, Deps>,
    config: NoInfer<Config>,
    clock?: Clock,
  ) => {
    const logger = createLogger({ service: config.service, level: config.logLevel, destination: logs });
    const service = await startSubgraph(definition, config, { logger, ...(clock ? { clock } : {}) });
    started.push(service);
    return service;
  };

  let gateway: Gateway | undefined;
  let gatewayListening: GatewayListening | undefined;
  try {
    const [tenant, identity, device, audit] = await Promise.all([
      bring(tenantSubgraph, tenantConfig),
      bring(identitySubgraph, identityConfig, options.identityClock),
      bring(deviceSubgraph, { ...baseConfig('device'), maxActiveDevicesPerAccount: options.maxActiveDevicesPerAccount ?? 20 }),
      bring(auditSubgraph, { ...baseConfig('audit'), retentionSweepEveryMs: 60 * 60_000, retentionBatchSize: 500 }),
    ]);
    const subgraphUrls = { tenant: tenant.url, identity: identity.url, device: device.url, audit: audit.url };
    const gatewayConfig = {
      host: '127.0.0.1',
      port: gatewayPort,
      adminHost: '127.0.0.1',
      adminPort: 0,
      production: false,
      logLevel: 'info',
      publicUrl,
      subgraphUrls,
      assertionPrivateKey: secrets.GATEWAY_ASSERTION_PRIVATE_KEY,
      accessTokenAudience: 'messngr',
      accessTokenMaxAgeSeconds: 900,
      kafkaBrokers: brokers,
      supergraphPath: DEFAULT_SUPERGRAPH_PATH,
      ...(options.otlpEndpoint ? { otlpEndpoint: options.otlpEndpoint } : {}),
    };
    const startGateway = async () => {
      gateway = await createGateway(gatewayConfig, createLogger({ service: 'gateway', destination: logs }));
      gatewayListening = await gateway.listen();
    };
    await startGateway();
    let gatewayAdminUrl = gatewayListening!.adminUrl;
    const gatewayUrl = `${gatewayListening!.url}/graphql`;
    const services = { tenant, identity, device, audit };

    const handledSecrets = new Set<string>(Object.values(secrets).map(String));
    return {
      gatewayUrl,
      get gatewayAdminUrl() {
        return gatewayAdminUrl;
      },
      publicUrl,
      subgraphUrls,
      adminUrls: { tenant: tenant.adminUrl, identity: identity.adminUrl, device: device.adminUrl, audit: audit.adminUrl },
      secrets,
      databases,
      groupIds,
      logs,
      mailbox,
      services,
      handledSecrets,
      async restartGateway() {
        await gatewayListening?.close();
        await gateway?.stop();
        gatewayListening = undefined;
        gateway = undefined;
        await startGateway();
        gatewayAdminUrl = gatewayListening!.adminUrl;
      },
      async adminTokenFromCli() {
        const { stdout } = await run(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts/cli.ts'), 'admin-token'], {
          cwd: REPO_ROOT,
          env: {
            ...process.env,
            NODE_ENV: 'test',
            MONGODB_URI: mongoUri,
            MONGODB_DATABASE: databases.identity,
            KAFKA_BROKERS: brokers.join(','),
            PUBLIC_URL: publicUrl,
            SECRETS_ENCRYPTION_KEYS: secrets.SECRETS_ENCRYPTION_KEYS,
            PROVIDER_SECRETS_KEYS: secrets.PROVIDER_SECRETS_KEYS,
            GATEWAY_ASSERTION_PUBLIC_KEY: secrets.GATEWAY_ASSERTION_PUBLIC_KEY,
          },
        });
        const token = stdout.trim();
        handledSecrets.add(token);
        return token;
      },
      async issueToken({ tenantId, accountId, roles = [] }) {
        const issued = await identity.deps.tokens.issue({
          tenantId: asTenantId(tenantId),
          accountId,
          roles,
          sessionId: `ses_test_${randomBytes(6).toString('hex')}`,
          clientId: 'e2e',
        });
        handledSecrets.add(issued.token);
        return issued.token;
      },
      graphql: (query, variables, token) => postGraphQL(gatewayUrl, query, variables, token),
      graphqlAs: (query, variables, as = {}) => postGraphQL(gatewayUrl, query, variables, as.token, as.headers),
      async stop() {
        await gatewayListening?.close();
        await gateway?.stop();
        await Promise.all(started.map((service) => service.stop()));
        await mailbox.stop();
      },
    };
  } catch (error) {
    await gatewayListening?.close().catch(() => undefined);
    await Promise.all(started.map((service) => service.stop().catch(() => undefined)));
    await mailbox.stop().catch(() => undefined);
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
export function useStack(options: StackOptions = {}): { readonly stack: Stack; readonly adminToken: string } {
  const env = {} as { stack: Stack; adminToken: string };
  beforeAll(async () => {
    env.stack = await startStack(options);
    env.adminToken = await env.stack.adminTokenFromCli();
  });
  afterAll(async () => {
    if (!env.stack) return;
    await env.stack.stop();
    expectNoSecretInLogs(env.stack);
  });
  return env;
}

/** No code, token, cookie value or shared secret the tests handled appears in any log line of the stack. */
export function expectNoSecretInLogs(stack: Stack): void {
  const text = stack.logs.text();
  // A one-time code is six digits: found only standing alone, not inside a timestamp.
  const appears = (secret: string) =>
    /^\d+$/.test(secret) ? new RegExp(`(?<!\\d)${secret}(?!\\d)`).test(text) : text.includes(secret);
  const leaked = [...stack.handledSecrets].filter((secret) => secret.length >= 6 && appears(secret));
  if (leaked.length > 0) {
    const line = stack.logs.lines.find((candidate) => leaked.some((secret) => candidate.includes(secret)));
    throw new Error(`${leaked.length} secret(s) appeared in the logs, first in: ${line?.slice(0, 300)}`);
  }
}
