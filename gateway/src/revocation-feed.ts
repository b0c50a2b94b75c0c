import { randomBytes } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import { eventRoutes, parseEnvelope, type HandlersOf } from '@messngr/contracts';
import type { Logger } from '@messngr/kit/logging';
import type { RevocationList } from './revocation-list';

/**
 * Feeds the revocation list from the identity and tenant topics. Each gateway reads them on
 * its own (a group of its own, nothing committed), from `windowMs` ago: any revocation older
 * than that concerns tokens that have expired anyway. It is caught up once it has read to
 * where the topics ended when it started; the gateway answers only then.
 */
export class RevocationFeed {
  readonly #consumer: Consumer;
  readonly #caughtUp: Promise<void>;
  #markCaughtUp: () => void = () => undefined;
  #isCaughtUp = false;
  readonly #behind = new Map<string, bigint>();

  constructor(
    private readonly options: { kafka: Kafka; list: RevocationList; windowMs: number; logger: Logger; now?: () => number },
  ) {
    this.#consumer = options.kafka.consumer({ groupId: `messngr-gateway-${randomBytes(6).toString('hex')}`, allowAutoTopicCreation: false });
    this.#caughtUp = new Promise((resolve) => (this.#markCaughtUp = resolve));
  }

  get caughtUp(): boolean {
    return this.#isCaughtUp;
  }

  /** Resolves once the list reflects everything published before the start. */
  whenCaughtUp(): Promise<void> {
    return this.#caughtUp;
  }

  async start(): Promise<void> {
    const { kafka, list, windowMs, logger } = this.options;
    const now = this.options.now ?? Date.now;
    const routes = eventRoutes('gateway', handlers(list));
    const admin = kafka.admin();
    await admin.connect();
    const starts: { topic: string; partition: number; offset: string }[] = [];
    try {
      for (const topic of routes.topics) {
        const ends = await admin.fetchTopicOffsets(topic);
        const fromTime = await admin.fetchTopicOffsetsByTimestamp(topic, now() - windowMs);
        for (const end of ends) {
          const start = fromTime.find((entry) => entry.partition === end.partition)?.offset ?? end.high;
          const from = start === '-1' ? end.high : start;
          starts.push({ topic, partition: end.partition, offset: from });
          if (BigInt(end.high) > BigInt(from)) this.#behind.set(`${topic}:${end.partition}`, BigInt(end.high) - 1n);
        }
      }
    } finally {
      await admin.disconnect();
    }
    this.checkCaughtUp();
    await this.#consumer.connect();
    await this.#consumer.subscribe({ topics: routes.topics, fromBeginning: false });
    await this.#consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        try {
          await routes.route(parseEnvelope(JSON.parse(message.value?.toString('utf8') ?? '')))?.();
        } catch (error) {
          // Not the gateway's to park: the owners' consumers do. One bad message must not stop the list.
          logger.warn({ reason: error instanceof Error ? error.message : 'unreadable', topic, partition }, 'revocation feed skipped a message');
        }
        const key = `${topic}:${partition}`;
        const last = this.#behind.get(key);
        if (last !== undefined && BigInt(message.offset) >= last) {
          this.#behind.delete(key);
          this.checkCaughtUp();
        }
      },
    });
    for (const start of starts) this.#consumer.seek(start);
  }

  async stop(): Promise<void> {
    await this.#consumer.disconnect();
  }

  private checkCaughtUp(): void {
    if (this.#behind.size > 0 || this.#isCaughtUp) return;
    this.#isCaughtUp = true;
    this.#markCaughtUp();
  }
}

function handlers(list: RevocationList): HandlersOf<'gateway'> {
  return {
    'identity.session.revoked': async (event) => list.revokeSession(event.data.session.id, new Date(event.data.accessTokensExpireBy)),
    'identity.account.disabled': async (event) => list.setAccountDisabled(event.tenantid, event.data.account.id, true),
    'identity.account.enabled': async (event) => list.setAccountDisabled(event.tenantid, event.data.account.id, false),
    'tenant.tenant.suspended': async (event) => list.setTenantSuspended(event.data.tenant.id, true),
    'tenant.tenant.reactivated': async (event) => list.setTenantSuspended(event.data.tenant.id, false),
  };
}
