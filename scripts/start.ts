import { spawn, type ChildProcess } from 'node:child_process';
import { join, relative } from 'node:path';
import { ALL_TOPICS, GATEWAY, SUBGRAPHS } from '@messngr/contracts';
import {
  DEV_MAILBOX_PORTS,
  startDevMailbox,
  startInfrastructure,
  type DevMailbox,
  type RunningInfrastructure,
} from '@messngr/infra';
import { withDevelopmentSecrets } from '@messngr/kit/config';
import { findRepoRoot, localDataDir } from '@messngr/kit/core';

/**
 * `npm start`: the whole stack on this machine with embedded defaults. Infrastructure
 * (PostgreSQL + FerretDB, Kafka) is started unless MONGODB_URI and KAFKA_BROKERS are set,
 * and the development mailbox (SMTP + SMS gateway) unless SMTP_URL is; then the four
 * subgraphs, then the gateway. Ctrl-C stops everything it started.
 */
const ROOT = findRepoRoot(__dirname);

const children: ChildProcess[] = [];
let infrastructure: RunningInfrastructure | undefined;
let mailbox: DevMailbox | undefined;
let stopping = false;

function say(line: string): void {
  process.stderr.write(`[start] ${line}\n`);
}

function startNode(name: string, entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  // The services' JSON logs go to stderr; stdout carries only the ready line.
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env,
    stdio: ['ignore', process.stderr, process.stderr],
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      say(`${name} exited (${signal ?? code}); stopping the stack`);
      void stop(1);
    }
  });
  children.push(child);
  return child;
}

async function waitUntilReady(name: string, url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopping) throw new Error('stopping');
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${name} did not become ready at ${url} within ${timeoutMs / 1000} s`);
}

async function stop(code: number): Promise<never> {
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(
    children.map((child) =>
      child.exitCode === null && child.signalCode === null ? new Promise((r) => child.once('exit', r)) : undefined,
    ),
  );
  await mailbox?.stop();
  await infrastructure?.stop();
  process.exit(code);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  const started = Date.now();
  const env: NodeJS.ProcessEnv = withDevelopmentSecrets({
    NODE_ENV: 'development',
    // A developer's own test OpenID Provider usually runs on this machine.
    OUTBOUND_ALLOWED_NETWORKS: '127.0.0.0/8,::1',
    ...process.env,
  });
  if (!env['SMTP_URL']) {
    const dir = join(localDataDir(), 'mailbox');
    mailbox = await startDevMailbox({ dir, smtpPort: DEV_MAILBOX_PORTS.smtp, smsPort: DEV_MAILBOX_PORTS.sms });
    env['SMTP_URL'] = mailbox.smtpUrl;
    const what = env['SMS_GATEWAY_URL'] ? 'mail goes' : 'mail and SMS go';
    env['SMS_GATEWAY_URL'] ||= mailbox.smsUrl;
    const shown = dir.startsWith(ROOT) ? relative(ROOT, dir) : dir;
    say(`${what} to the development mailbox (${shown}); read them with \`npm run cli -- mailbox\``);
  } else {
    say(`mail goes to SMTP_URL, SMS to ${env['SMS_GATEWAY_URL'] ? 'SMS_GATEWAY_URL' : 'nowhere (SMS_GATEWAY_URL is not set)'}`);
  }
  if (!env['MONGODB_URI'] || !env['KAFKA_BROKERS']) {
    say('starting PostgreSQL + FerretDB and Kafka (the first run downloads and builds them)');
    infrastructure = await startInfrastructure({
      name: 'dev',
      ports: { postgres: 55432, mongo: 27017, kafka: 9092, kafkaController: 9093 },
      topics: ALL_TOPICS,
      log: say,
    });
    env['MONGODB_URI'] = infrastructure.mongoUri;
    env['KAFKA_BROKERS'] = infrastructure.kafkaBrokers;
  } else {
    say(`using MONGODB_URI and KAFKA_BROKERS from the environment`);
  }
  for (const service of SUBGRAPHS) {
    startNode(service.name, join(ROOT, 'services', service.name, 'src', 'index.ts'), {
      ...env,
      PORT: String(service.port),
      ADMIN_PORT: String(service.adminPort),
    });
  }
  await Promise.all(SUBGRAPHS.map((service) => waitUntilReady(service.name, `http://127.0.0.1:${service.port}/readyz`)));
  startNode('gateway', join(ROOT, 'gateway', 'src', 'index.ts'), {
    ...env,
    PORT: String(GATEWAY.port),
    ADMIN_PORT: String(GATEWAY.adminPort),
  });
  await waitUntilReady('gateway', `http://127.0.0.1:${GATEWAY.adminPort}/readyz`);
  const operations = [`gateway :${GATEWAY.adminPort}`, ...SUBGRAPHS.map((service) => `${service.name} :${service.adminPort}`)];
  say(`metrics, healthz and readyz on the operations ports: ${operations.join(', ')}`);
  if (env['OTEL_EXPORTER_OTLP_ENDPOINT']) say(`traces go to ${env['OTEL_EXPORTER_OTLP_ENDPOINT']}/v1/traces (OTLP/HTTP)`);
  say(`up in ${((Date.now() - started) / 1000).toFixed(1)} s; Ctrl-C stops everything`);
  process.stdout.write(`gateway ready at http://127.0.0.1:${GATEWAY.port}/graphql\n`);
}

main().catch((error: unknown) => {
  say(error instanceof Error ? error.message : String(error));
  void stop(1);
});
