import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import {
  AccountCreated,
  deadLetterTopic,
  EventContractViolation,
  isEventType,
  parseEventData,
  replayTopic,
  type EventRoutes,
} from '@messngr/contracts';
import { asTenantId } from '@messngr/kit/core';
import { createEvent, createKafka, ensureTopics, EventConsumer } from '@messngr/kit/events';
import { createLogger } from '@messngr/kit/logging';
import { eventually } from './harness/eventually';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

async function cli(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/cli.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test' },
  });
  return stdout;
}

/**
 * Dead letters are not a grave: an event parked after its handler kept failing is listed
 * with its reason, and replayed to its consumer (alone) once the cause is mended; replaying
 * again replays nothing twice.
 */
describe('dead letters, listed and replayed with the operator CLI', () => {
  const brokers = process.env['KAFKA_BROKERS']!.split(',');
  const input = `e2e.dead-letters.${randomBytes(4).toString('hex')}`;
  const kafka = createKafka({
    brokers,
    clientId: 'e2e-dead-letters',
    logger: createLogger({ service: 'test', level: 'silent' }),
  });
  let producer: Producer;
  let consumer: EventConsumer;
  let mended = false;
  const applied: string[] = [];

  beforeAll(async () => {
    await ensureTopics(brokers, [{ name: input, partitions: 1 }]);
    // The device subgraph's consumer as it would be with a bug in its handler; it reads a
    // topic of this test's own besides its replay topic.
    const routes: EventRoutes = {
      consumer: 'device',
      topics: [input, replayTopic('device')],
      deadLetterTopic: deadLetterTopic('device'),
      route(envelope) {
        if (!isEventType(envelope.type)) throw new EventContractViolation(`unknown event type ${envelope.type}`);
        if (!envelope.subject.startsWith('acc_dl_')) return undefined;
        const event = parseEventData({ ...envelope, type: envelope.type });
        return async () => {
          if (!mended) throw new Error('a bug in the handler');
          applied.push(event.id);
        };
      },
    };
    consumer = new EventConsumer({
      kafka,
      groupId: `e2e-dead-letters-${randomBytes(4).toString('hex')}`,
      routes,
      logger: createLogger({ service: 'device', level: 'silent' }),
      maxUnexpectedAttempts: 2,
      retryDelayMs: 10,
    });
    await consumer.start();
    producer = new Kafka({ clientId: 'e2e-dead-letters-producer', brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
  });

  afterAll(async () => {
    await consumer?.stop();
    await producer?.disconnect();
  });

  it('lists the parked event with why, replays it once mended, and never twice', async () => {
    const accountId = `acc_dl_${randomBytes(4).toString('hex')}`;
    const tenantId = asTenantId('ten_dead_letters');
    const event = createEvent(AccountCreated, {
      subject: accountId,
      tenantId,
      accountId,
      time: new Date(),
      data: { account: { id: accountId, tenantId, displayName: 'Parked', handle: 'parked' } },
    });
    await producer.send({ topic: input, messages: [{ key: accountId, value: JSON.stringify({ ...event, sequence: '1000' }) }] });

    const listed = await eventually(async () => {
      const lines = (await cli('dead-letters', 'list', 'device')).split('\n').filter((line) => line.includes(event.id));
      if (lines.length === 0) throw new Error('not parked yet');
      return lines;
    });
    expect(listed).toEqual([expect.stringMatching(/identity\.account\.created .*\[exhausted\] Error: a bug in the handler$/)]);
    expect(applied).toEqual([]);

    mended = true;
    expect(await cli('dead-letters', 'replay', 'device')).toContain(event.id);
    await eventually(async () => expect(applied).toEqual([event.id]));

    expect(await cli('dead-letters', 'replay', 'device')).not.toContain(event.id);
    expect((await cli('dead-letters', 'list', 'device')).split('\n').filter((line) => line.includes(event.id))).toEqual([
      expect.stringMatching(/\(replayed\)$/),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(applied).toEqual([event.id]);
  });
});
