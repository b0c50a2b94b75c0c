import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { GATEWAY, SUBGRAPHS, type SubgraphName } from '@messngr/contracts';
import { GATEWAY_ENV_VARIABLES, parseGatewayConfig } from '@messngr/gateway';
import { IDENTITY_ENV_VARIABLES } from '@messngr/identity/src/config';
import { parseDeliveryConfig } from '@messngr/identity/src/delivery/delivery-config';
import { DEV_MAILBOX_PORTS } from '@messngr/infra';
import { parseServiceConfig, SERVICE_ENV_VARIABLES } from '@messngr/kit/config';
import { TENANT_ENV_VARIABLES } from '@messngr/tenant/src/config';

interface ComposeService {
  command?: string[];
  ports?: string[];
  environment?: Record<string, string | number>;
  healthcheck?: { test: string[] };
}

const ROOT = join(__dirname, '..', '..');
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const SUBGRAPH_PORTS = SUBGRAPHS.map((subgraph) => [subgraph.name, subgraph.port] as const);

function environmentOf(name: string): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(compose.services[name]?.environment ?? {}).map(([key, value]) => [key, String(value)]),
  );
}

describe('docker-compose.yml agrees with the code', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'compose-test-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it.each(SUBGRAPH_PORTS)(
    'runs the %s subgraph on its default port with settings the code accepts',
    (name: SubgraphName, port: number) => {
      const service = compose.services[name]!;
      expect(service.command).toEqual(['node', '--import', 'tsx', `services/${name}/src/index.ts`]);
      expect(service.ports).toEqual([`127.0.0.1:${port}:${port}`]);
      const environment = environmentOf(name);
      const known = new Set([
        ...SERVICE_ENV_VARIABLES,
        ...(name === 'identity' ? IDENTITY_ENV_VARIABLES : []),
        ...(name === 'tenant' ? TENANT_ENV_VARIABLES : []),
        'MESSNGR_DATA_DIR',
      ]);
      expect(Object.keys(environment).filter((variable) => !known.has(variable))).toEqual([]);
      const config = parseServiceConfig(name, { ...environment, MESSNGR_DATA_DIR: dataDir });
      expect(config.port).toBe(port);
      expect(config.host).toBe('0.0.0.0');
      expect(config.kafkaBrokers).toEqual(['kafka:19092']);
      expect(config.mongoUri).toMatch(/^mongodb:\/\/mongo:27017\//);
      expect(service.healthcheck?.test.join(' ')).toContain('/readyz');
    },
  );

  it('points the gateway at each subgraph on the port that subgraph listens on', () => {
    const gateway = compose.services['gateway']!;
    expect(gateway.ports).toEqual([`127.0.0.1:${GATEWAY.port}:${GATEWAY.port}`]);
    const environment = environmentOf('gateway');
    const known = new Set([...GATEWAY_ENV_VARIABLES, 'MESSNGR_DATA_DIR']);
    expect(Object.keys(environment).filter((variable) => !known.has(variable))).toEqual([]);
    const config = parseGatewayConfig({ ...environment, MESSNGR_DATA_DIR: dataDir }, 'unused');
    expect(config.port).toBe(GATEWAY.port);
    for (const [name, port] of SUBGRAPH_PORTS) {
      expect(config.subgraphUrls[name]).toBe(`http://${name}:${port}`);
    }
    // Readiness and metrics answer on the operator port, inside the container network.
    expect(gateway.healthcheck?.test.join(' ')).toContain(`${GATEWAY.adminPort}/readyz`);
    expect(environmentOf('identity')['PUBLIC_URL']).toBe(config.publicUrl);
  });

  it('sends the identity subgraph’s mail and SMS to the mailbox service, on the ports it listens on', () => {
    expect(compose.services['mailbox']?.command).toEqual(['node', '--import', 'tsx', 'infra/src/cli.ts', 'mailbox']);
    const delivery = parseDeliveryConfig(environmentOf('identity'), false);
    expect(delivery.smtpUrl).toBe(`smtp://mailbox:${DEV_MAILBOX_PORTS.smtp}`);
    expect(delivery.smsGatewayUrl).toBe(`http://mailbox:${DEV_MAILBOX_PORTS.sms}/sms`);
  });

  it('runs Kafka without topic auto-creation and MongoDB as a replica set', () => {
    expect(compose.services['kafka']?.environment?.['KAFKA_AUTO_CREATE_TOPICS_ENABLE']).toBe('false');
    expect(compose.services['mongo']?.healthcheck?.test.join(' ')).toContain('rs.initiate');
  });
});
