import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runChecked } from './command';
import { seconds } from './elapsed';
import { LOOPBACK } from './free-port';
import { withKafkaAdmin } from './kafka-admin';
import type { KafkaDistribution } from './kafka-jars';
import { withLogTail } from './log-tail';
import { ServerProcess } from './server-process';
import { waitForPort, waitUntil } from './wait';

export interface KafkaLayout {
  dir: string;
  propertiesFile: string;
  logFile: string;
  pidFile: string;
}

export interface KafkaServer {
  brokers: string;
  pid: number;
  stop(): Promise<void>;
}

export interface KafkaPorts {
  broker: number;
  controller: number;
}

const STOP_GRACE_MS = 10_000;

export function kafkaLayout(dir: string, pidFile: string): KafkaLayout {
  return {
    dir,
    propertiesFile: path.join(dir, 'server.properties'),
    logFile: path.join(dir, 'kafka.log'),
    pidFile,
  };
}

/** Formats and starts a single-node KRaft broker+controller on loopback; ready once the admin API answers. */
export async function startKafka(
  layout: KafkaLayout,
  ports: KafkaPorts,
  java: string,
  dist: KafkaDistribution,
  log: (line: string) => void,
): Promise<KafkaServer> {
  const started = Date.now();
  await mkdir(layout.dir, { recursive: true });
  await writeFile(layout.propertiesFile, serverProperties(layout.dir, ports));

  const classpath = ['-cp', path.join(dist.libsDir, '*'), `-Dlog4j.configuration=file:${dist.log4jConfig}`];
  const clusterId = randomClusterId();
  try {
    // short-lived JVM: C1 only and serial GC start fastest
    await runChecked(java, [
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      ...classpath,
      'kafka.tools.StorageTool',
      'format',
      '-t',
      clusterId,
      '-c',
      layout.propertiesFile,
    ]);
  } catch (error) {
    throw new Error(`formatting Kafka storage failed: ${error instanceof Error ? error.message : String(error)}`);
  }

  const server = new ServerProcess(
    'Kafka',
    java,
    ['-Xms256m', '-Xmx512m', '-Djava.awt.headless=true', ...classpath, 'kafka.Kafka', layout.propertiesFile],
    { logFile: layout.logFile, pidFile: layout.pidFile, cwd: layout.dir },
  );
  const brokers = `${LOOPBACK}:${ports.broker}`;
  try {
    await waitForPort(`Kafka on ${brokers}`, ports.broker, { timeoutMs: 90_000, server });
    // Ready = the admin API answers and a group coordinator is available. Looking one up makes
    // the broker create __consumer_offsets now, so the first consumer of a test joins its group
    // at once instead of retrying "coordinator not available".
    await waitUntil(
      `Kafka admin API on ${brokers}`,
      () =>
        withKafkaAdmin(
          brokers,
          async (admin) => {
            if ((await admin.describeCluster()).brokers.length === 0) return false;
            return (await admin.describeGroups(['messngr-infra-warmup'])).groups.length > 0;
          },
          0,
        ),
      { timeoutMs: 60_000, intervalMs: 200, server },
    );
  } catch (error) {
    await server.stop(STOP_GRACE_MS);
    throw error;
  }
  log(`Kafka ${dist.version} ready on ${brokers} in ${seconds(started)}`);
  return {
    brokers,
    pid: server.pid,
    stop: async () => {
      await server.stop(STOP_GRACE_MS);
      if (server.exitStatus === null) throw new Error(withLogTail(`Kafka (pid ${server.pid}) did not stop`, layout.logFile));
    },
  };
}

/** 16 random bytes, base64url (22 chars) like Kafka's Uuid; never starting with '-', which the CLI would take for an option. */
function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function serverProperties(dir: string, ports: KafkaPorts): string {
  const properties: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@${LOOPBACK}:${ports.controller}`,
    listeners: `PLAINTEXT://${LOOPBACK}:${ports.broker},CONTROLLER://${LOOPBACK}:${ports.controller}`,
    'advertised.listeners': `PLAINTEXT://${LOOPBACK}:${ports.broker}`,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'auto.create.topics.enable': false,
    'num.partitions': 3,
    'default.replication.factor': 1,
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 1, // the first consumer group join creates this topic: keep it small
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'transaction.state.log.num.partitions': 1,
    'group.initial.rebalance.delay.ms': 0,
    'num.network.threads': 2,
    'num.io.threads': 4,
    'log.dirs': path.join(dir, 'logs'),
  };
  return `${Object.entries(properties)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join('\n')}\n`;
}
