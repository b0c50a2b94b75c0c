import type { Counter } from 'prom-client';
import type { Logger } from '../logging/logger';
import { counterOf, scrapedGauge, type ServiceMetrics } from '../metrics/metrics';
import type { EventPublisher } from './event-publisher';
import type { OutboxSource, PendingOutbox } from './outbox-source';

export interface OutboxRelayOptions {
  /** Where each source's events go: the producing service's topic. */
  sources: { source: OutboxSource; topic: string }[];
  publisher: EventPublisher;
  logger: Logger;
  metrics?: ServiceMetrics;
  intervalMs?: number;
  batchSize?: number;
  /** Pauses after a failed publish double from the first to the last. */
  backoffMs?: { first: number; max: number };
  now?: () => number;
}

interface Failing {
  failures: number;
  retryAt: number;
}

/**
 * Publishes the events aggregates wrote into their own documents, oldest first, then removes
 * exactly those events with a version-guarded write. A crash between the two republishes
 * them: at-least-once, and consumers are idempotent by event id. Several relays (one per
 * instance) may run at once; a lost race only means a duplicate publish.
 *
 * Failures are isolated per document: one that cannot be published (or whose events cannot
 * be removed yet) is set aside with a growing pause while the others go on.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private cycle: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private readonly failing = new Map<string, Failing>();
  private readonly failures: Counter<'collection'> | undefined;

  constructor(private readonly options: OutboxRelayOptions) {
    const { metrics } = options;
    if (!metrics) return;
    this.failures = counterOf(metrics, {
      name: 'outbox_publish_failures_total',
      help: 'Documents whose pending events could not be published or removed, by collection.',
      labelNames: ['collection'],
    });
    scrapedGauge(
      metrics,
      {
        name: 'outbox_oldest_pending_age_seconds',
        help: 'Age of the oldest event still waiting in an outbox, by collection (0 when none waits).',
        labelNames: ['collection'],
      },
      async (gauge) => {
        for (const { source } of options.sources) {
          const since = await source.oldestPendingSince().catch(() => null);
          gauge.set({ collection: source.name }, since ? Math.max(0, (this.now() - since.getTime()) / 1000) : 0);
        }
      },
    );
  }

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  /** Publish soon: called after a local write so events need not wait for the poll. */
  nudge(): void {
    if (this.stopped) return;
    if (this.cycle) {
      this.again = true;
      return;
    }
    void this.runCycle();
  }

  /** Publishes everything pending now, except documents backing off after a failure. */
  async flush(): Promise<void> {
    while (this.cycle) await this.cycle;
    await this.runCycle();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    while (this.cycle) await this.cycle;
    await this.publishPending().catch((error: unknown) =>
      this.options.logger.error({ err: error }, 'outbox flush on shutdown failed'),
    );
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.runCycle().finally(() => this.schedule()), this.options.intervalMs ?? 250);
    this.timer.unref();
  }

  private runCycle(): Promise<void> {
    if (this.cycle) return this.cycle;
    this.cycle = (async () => {
      do {
        this.again = false;
        try {
          await this.publishPending();
        } catch (error) {
          // Reading the outbox failed (the database is out of reach): the next cycle tries again.
          this.options.logger.warn({ err: error }, 'outbox relay could not read pending events; will retry');
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.cycle = undefined;
    });
    return this.cycle;
  }

  private async publishPending(): Promise<void> {
    const batchSize = this.options.batchSize ?? 100;
    for (const { source, topic } of this.options.sources) {
      const seen = new Set<string>();
      for (;;) {
        const skip = new Set([...seen, ...this.backingOff(source)]);
        const documents = await source.pending(batchSize, skip);
        if (documents.length === 0) break;
        for (const document of documents) {
          seen.add(document.id);
          await this.relay(source, topic, document);
        }
        if (documents.length < batchSize) break;
      }
    }
  }

  private async relay(source: OutboxSource, topic: string, document: PendingOutbox): Promise<void> {
    const key = `${source.name}/${document.id}`;
    try {
      await this.options.publisher.publish(topic, document.events);
      if (!(await source.removePublished(document))) throw new Error('published events could not be removed yet');
      this.failing.delete(key);
    } catch (error) {
      const failures = (this.failing.get(key)?.failures ?? 0) + 1;
      const { first, max } = this.options.backoffMs ?? { first: 1_000, max: 60_000 };
      const pause = Math.min(max, first * 2 ** (failures - 1));
      this.failing.set(key, { failures, retryAt: this.now() + pause * (0.75 + Math.random() * 0.5) });
      this.failures?.inc({ collection: source.name });
      this.options.logger.error(
        { err: error, collection: source.name, documentId: document.id, failures, retryInMs: pause },
        'outbox document could not be relayed; the others go on',
      );
    }
  }

  private backingOff(source: OutboxSource): string[] {
    const now = this.now();
    const prefix = `${source.name}/`;
    const ids: string[] = [];
    for (const [key, failing] of this.failing) {
      if (key.startsWith(prefix) && failing.retryAt > now) ids.push(key.slice(prefix.length));
    }
    return ids;
  }
}
