import { randomBytes } from 'node:crypto';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import { eventRoutes, parseEnvelope, type HandlersOf } from '@messngr/contracts';
import type { Logger } from '@messngr/kit/logging';
import { ConsumedPositions } from './consumed-positions';
import { FreshSnapshots } from './fresh-snapshots';
import type { RevocationList } from './revocation-list';

/** How long a fence waits for the feed before the gateway answers anyway (Kafka is out of reach). */
export const REVOCATION_FENCE_TIMEOUT_MS = 2_000;

/**
 * Feeds the revocation list from the identity and tenant topics. Each gateway reads them on
 * its own (a group of its own, nothing committed), from `windowMs` ago: any revocation older
 * than that concerns tokens that have expired anyway. It is caught up once it has read to
 * where the topics ended when it started; the gateway answers only then.
 *
 * Revocations reach the list a moment after they reach the broker; `fence()` closes that
 * moment: it resolves once the list reflects everything on the topics when it was called.
 * The services publish a revocation before they answer the request that caused it and say
 * so (REVOCATION_SIGNAL_HEADER), so a gateway that then fences before it answers refuses the
 * revoked tokens on the very next request (`revocationFencePlugin`).
 */
export class RevocationFeed {
  readonly #consumer: Consumer;
  readonly #admin: Admin;
  readonly #positions = new ConsumedPositions();
  readonly #ends = new FreshSnapshots(() => this.endOffsets());
  #topics: string[] = [];
  #started = false;
  #isCaughtUp = false;
  readonly #caughtUp: Promise<void>;
  #markCaughtUp: () => void = () => undefined;

  constructor(
    private readonly options: { kafka: Kafka; list: RevocationList; windowMs: number; logger: Logger; now?: () => number },
  ) {
    this.#consumer = options.kafka.consumer({
      groupId: `messngr-gateway-${randomBytes(6).toString('hex')}`,
      allowAutoTopicCreation: false,
    });
    this.#admin = options.kafka.admin();
    this.#caughtUp = new Promise<void>((resolve) => (this.#markCaughtUp = resolve)).then(() => {
      this.#isCaughtUp = true;
    });
  }

  get caughtUp(): boolean {
    return this.#isCaughtUp;
  }

  /** Resolves once the list reflects everything published before the start. */
  whenCaughtUp(): Promise<void> {
    return this.#caughtUp;
  }

  async start(): Promise<void> {
    const { list, windowMs, logger } = this.options;
    const now = this.options.now ?? Date.now;
    const routes = eventRoutes('gateway', handlers(list));
    this.#topics = routes.topics;
    await this.#admin.connect();
    const starts: { topic: string; partition: number; offset: string }[] = [];
    const ends = new Map<string, bigint>();
    for (const topic of routes.topics) {
      const highs = await this.#admin.fetchTopicOffsets(topic);
      const fromTime = await this.#admin.fetchTopicOffsetsByTimestamp(topic, now() - windowMs);
      for (const end of highs) {
        const start = fromTime.find((entry) => entry.partition === end.partition)?.offset ?? end.high;
        const from = start === '-1' ? end.high : start;
        starts.push({ topic, partition: end.partition, offset: from });
        this.#positions.advance(partitionKey(topic, end.partition), BigInt(from));
        ends.set(partitionKey(topic, end.partition), BigInt(end.high));
      }
    }
    void this.#positions.whenReached(ends).then(() => this.#markCaughtUp());
    await this.#consumer.connect();
    await this.#consumer.subscribe({ topics: routes.topics, fromBeginning: false });
    await this.#consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        try {
          await routes.route(parseEnvelope(JSON.parse(message.value?.toString('utf8') ?? '')))?.();
        } catch (error) {
          // Not the gateway's to park: the owners' consumers do. One bad message must not stop the list.
          logger.warn(
            { reason: error instanceof Error ? error.message : 'unreadable', topic, partition },
            'revocation feed skipped a message',
          );
        }
        this.#positions.advance(partitionKey(topic, partition), BigInt(message.offset) + 1n);
      },
    });
    for (const start of starts) this.#consumer.seek(start);
    this.#started = true;
  }

  /**
   * Resolves true once the list reflects every event on the topics at the time of the call
   * (one offsets request, shared by the fences waiting at the same time); false when that
   * could not be known within `timeoutMs`.
   */
  async fence(timeoutMs = REVOCATION_FENCE_TIMEOUT_MS): Promise<boolean> {
    if (!this.#started) return false;
    const deadline = Date.now() + timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
      timer.unref();
    });
    try {
      const ends = await Promise.race([this.#ends.next(), timedOut]);
      if (!ends) return false;
      return await this.#positions.whenReached(ends, Math.max(0, deadline - Date.now()));
    } catch (error) {
      this.options.logger.warn({ reason: error instanceof Error ? error.message : 'unknown' }, 'revocation fence failed');
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    this.#started = false;
    await this.#consumer.disconnect();
    await this.#admin.disconnect();
  }

  private async endOffsets(): Promise<Map<string, bigint>> {
    const ends = new Map<string, bigint>();
    const perTopic = await Promise.all(
      this.#topics.map(async (topic) => [topic, await this.#admin.fetchTopicOffsets(topic)] as const),
    );
    for (const [topic, highs] of perTopic)
      for (const end of highs) ends.set(partitionKey(topic, end.partition), BigInt(end.high));
    return ends;
  }
}

function partitionKey(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}

function handlers(list: RevocationList): HandlersOf<'gateway'> {
  return {
    'identity.session.revoked': async (event) =>
      list.revokeSession(event.data.session.id, new Date(event.data.accessTokensExpireBy)),
    'identity.account.disabled': async (event) => list.setAccountDisabled(event.tenantid, event.data.account.id, true),
    'identity.account.enabled': async (event) => list.setAccountDisabled(event.tenantid, event.data.account.id, false),
    'tenant.tenant.suspended': async (event) => list.setTenantSuspended(event.data.tenant.id, true),
    'tenant.tenant.reactivated': async (event) => list.setTenantSuspended(event.data.tenant.id, false),
    'identity.oauth_client.removed': async (event) => list.removeClient(event.tenantid, event.data.client.id),
  };
}
