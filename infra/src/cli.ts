// Dev infrastructure CLI: `tsx infra/src/cli.ts up [--topic name:partitions ...] | down | status`.
import { join } from 'node:path';
import { localDataDir } from '@messngr/kit/core';
import { startDevMailbox } from './dev-mailbox';
import { runDevSupervisor } from './dev-supervisor';
import { devInfrastructureStatus, startDevInfrastructure, stopDevInfrastructure } from './dev-stack';
import { ALL_TOPICS, type TopicSpec } from '@messngr/contracts';

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

const USAGE =
  'usage: tsx infra/src/cli.ts up [--topic name:partitions ...] | down | status | mailbox\n(without --topic, up creates every topic of packages/contracts;\nmailbox runs the development mailbox in a container of docker-compose.yml)';

function parseTopics(args: string[]): TopicSpec[] {
  const topics: TopicSpec[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = arg === '--topic' ? args[++i] : arg?.startsWith('--topic=') ? arg.slice('--topic='.length) : undefined;
    if (value === undefined) throw new Error(`unknown argument ${arg ?? ''}\n${USAGE}`);
    const match = /^([^:]+):(\d+)$/.exec(value);
    if (!match?.[1] || !match[2]) throw new Error(`--topic expects name:partitions, got ${JSON.stringify(value)}`);
    topics.push({ name: match[1], partitions: Number(match[2]) });
  }
  return topics;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  const log = (line: string): void => console.error(line);
  switch (command) {
    case 'up': {
      const requested = parseTopics(args);
      const state = await startDevInfrastructure({ topics: requested.length > 0 ? requested : ALL_TOPICS, log });
      print(`MONGODB_URI=${state.mongoUri}`);
      print(`KAFKA_BROKERS=${state.kafkaBrokers}`);
      return;
    }
    case 'down':
      await stopDevInfrastructure(log);
      return;
    case 'status': {
      const status = await devInfrastructureStatus();
      if (!status.state) {
        print('dev infrastructure: not running');
        return;
      }
      const ports = Object.entries(status.ports ?? {})
        .map(([name, open]) => `${name} ${open ? 'up' : 'DOWN'}`)
        .join(', ');
      print(
        `dev infrastructure: ${status.running ? 'running' : 'supervisor gone'} (pid ${status.state.supervisorPid}, since ${status.state.startedAt})`,
      );
      print(`  ${ports}`);
      print(`  MONGODB_URI=${status.state.mongoUri}`);
      print(`  KAFKA_BROKERS=${status.state.kafkaBrokers}`);
      print(`  log: ${status.state.logFile}`);
      if (!status.running) process.exitCode = 1;
      return;
    }
    case 'mailbox': {
      // docker-compose.yml's mailbox service: kept in MESSNGR_DATA_DIR/mailbox, read with `npm run cli -- mailbox`.
      const mailbox = await startDevMailbox({ dir: join(localDataDir(), 'mailbox'), host: '0.0.0.0', inContainer: true });
      log(`development mailbox: SMTP ${mailbox.smtpUrl}, SMS ${mailbox.smsUrl}`);
      const stop = () => void mailbox.stop().then(() => process.exit(0));
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      return;
    }
    case 'serve': // internal: the detached supervisor spawned by `up`
      await runDevSupervisor(JSON.parse(args[0] ?? '{}') as Parameters<typeof runDevSupervisor>[0]);
      return;
    default:
      throw new Error(USAGE);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
