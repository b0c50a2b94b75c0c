import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { AccountCreated, deadLetterTopic, producerTopic } from '@messngr/contracts';
import { deviceSubgraph } from '@messngr/device';
import type { DeviceConfig } from '@messngr/device/src/config';
import { startDisposableMongo, type DisposableMongo } from '@messngr/infra';
import { generateSharedSecrets } from '@messngr/kit/config';
import { asTenantId } from '@messngr/kit/core';
import { createEvent } from '@messngr/kit/events';
import { createLogger } from '@messngr/kit/logging';
import { startSubgraph } from '@messngr/kit/subgraph';
import { CapturedLogs } from './harness/captured-logs';
import { eventually } from './harness/eventually';
import { TopicReader } from './harness/topic-reader';

const OUTAGE_MS = 30_000;

/**
 * A consumer's database goes away for 30 s while an event waits: the event is neither lost
 * nor parked, and is applied once the database is back. The database is a FerretDB of the
 * test's own, really stopped and started again (the shared one serves other test files).
 */
describe('a consumer through a database outage', () => {
  let database: DisposableMongo;
  let producer: Producer;
  const deadLetters = new TopicReader([deadLetterTopic('device')]);
  const logs = new CapturedLogs();
  const tenantId = asTenantId(`ten_outage_${randomBytes(4).toString('hex')}`);

  beforeAll(async () => {
    database = await startDisposableMongo({ name: 'outage' });
    producer = new Kafka({
      clientId: 'e2e-outage',
      brokers: process.env['KAFKA_BROKERS']!.split(','),
      logLevel: logLevel.NOTHING,
    }).producer();
    await Promise.all([producer.connect(), deadLetters.start()]);
  });

  afterAll(async () => {
    await producer?.disconnect();
    await deadLetters.stop();
    await database?.stop();
  });

  /** What the identity subgraph's outbox publishes when an account is created. */
  async function publishAccountCreated(accountId: string): Promise<void> {
    const event = {
      ...createEvent(AccountCreated, {
        subject: accountId,
        tenantId,
        accountId,
        time: new Date(),
        data: { account: { id: accountId, tenantId, displayName: 'Outage Person', handle: accountId.replace(/^acc_/, 'h') } },
      }),
      sequence: '1000',
    };
    await producer.send({
      topic: producerTopic('identity'),
      acks: -1,
      messages: [{ key: accountId, value: JSON.stringify(event) }],
    });
  }

  it(
    'keeps the event through a 30 s outage and applies it after, parking nothing',
    async () => {
      const id = randomBytes(4).toString('hex');
      const config: DeviceConfig = {
        service: 'device',
        host: '127.0.0.1',
        port: 0,
        nodeEnv: 'test',
        production: false,
        logLevel: 'info',
        mongoUri: database.mongoUri,
        mongoDatabase: `e2e_${id}_device`,
        kafkaBrokers: process.env['KAFKA_BROKERS']!.split(','),
        kafkaGroupId: `e2e-${id}-outage-device`,
        assertionPublicKey: generateSharedSecrets().GATEWAY_ASSERTION_PUBLIC_KEY,
        maxActiveDevicesPerAccount: 20,
      };
      const device = await startSubgraph(deviceSubgraph, config, {
        logger: createLogger({ service: 'device', level: 'info', destination: logs }),
      });
      try {
        const before = `acc_before_${id}`;
        await publishAccountCreated(before);
        await eventually(async () => expect(await device.deps.accounts.findById(tenantId, before)).not.toBeNull(), {
          timeoutMs: 60_000,
        });

        await database.stopServer();
        const during = `acc_during_${id}`;
        await publishAccountCreated(during);
        await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
        await database.startServer();

        await eventually(async () => expect(await device.deps.accounts.findById(tenantId, during)).toMatchObject({ tenantId }), {
          timeoutMs: 60_000,
        });
        // It was retried while the server was gone, not given up on.
        expect(logs.text()).toContain('a server is out of reach; the event waits for it');
        expect(deadLetters.messages.filter((message) => message.key === during)).toEqual([]);
      } finally {
        await device.stop();
      }
    },
    OUTAGE_MS + 150_000,
  );
});
