import type { Model } from 'mongoose';
import type { AggregateFields } from './aggregate-write';
import { conditionalWrite } from './conditional-write';
import type { EventPublisher } from './event-publisher';
import type { Logger } from './logger';

export interface OutboxSource {
  model: Model<AggregateFields>;
  topic: string;
}

export interface OutboxRelayOptions {
  sources: OutboxSource[];
  publisher: EventPublisher;
  logger: Logger;
  intervalMs?: number;
  batchSize?: number;
}

/**
 * Publishes the events aggregates wrote into their own documents, then removes exactly
 * those events with a version-guarded write. A crash between the two republishes them:
 * at-least-once, and consumers are idempotent by event id. Several relays (one per
 * instance) may run at once; a lost race only means a duplicate publish.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private cycle: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(private readonly options: OutboxRelayOptions) {}

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

  /** Publishes everything pending now; resolves when nothing is left. */
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
          this.options.logger.error({ err: error }, 'outbox relay cycle failed; will retry');
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.cycle = undefined;
    });
    return this.cycle;
  }

  private async publishPending(): Promise<void> {
    for (const source of this.options.sources) {
      for (;;) {
        const documents = (await source.model.collection
          .find({ outboxPending: true }, { projection: { _id: 1, version: 1, pendingEvents: 1 } })
          .limit(this.options.batchSize ?? 100)
          .toArray()) as unknown as Pick<AggregateFields, '_id' | 'version' | 'pendingEvents'>[];
        if (documents.length === 0) break;
        for (const document of documents) {
          await this.options.publisher.publish(source.topic, document.pendingEvents);
          await this.removePublished(source.model, document);
        }
        if (documents.length < (this.options.batchSize ?? 100)) break;
      }
    }
  }

  private async removePublished(
    model: Model<AggregateFields>,
    published: Pick<AggregateFields, '_id' | 'version' | 'pendingEvents'>,
  ): Promise<void> {
    const publishedIds = new Set(published.pendingEvents.map((event) => event.id));
    let current: Pick<AggregateFields, '_id' | 'version' | 'pendingEvents'> | null = published;
    while (current) {
      const remaining = current.pendingEvents.filter((event) => !publishedIds.has(event.id));
      const applied = await conditionalWrite(model as unknown as Model<never>, current._id, current.version, {
        $set: { pendingEvents: remaining, outboxPending: remaining.length > 0 },
        $inc: { version: 1 },
      });
      if (applied) return;
      current = (await model.collection.findOne({ _id: current._id } as never, {
        projection: { _id: 1, version: 1, pendingEvents: 1 },
      })) as Pick<AggregateFields, '_id' | 'version' | 'pendingEvents'> | null;
    }
  }
}
