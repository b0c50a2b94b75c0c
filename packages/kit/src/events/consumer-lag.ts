import type { Admin, Kafka } from 'kafkajs';
import { scrapedGauge, type ServiceMetrics } from '../metrics/metrics';

export interface ConsumerLagOptions {
  kafka: Kafka;
  groupId: string;
  topics: readonly string[];
  metrics: ServiceMetrics;
  /** A scrape within this long of the last reading answers from it (default 10 s). */
  cacheMs?: number;
  /** A reading that takes longer is given up; the last one is shown again (default 2 s). */
  timeoutMs?: number;
}

/**
 * `events_consumer_lag_messages{topic}`: how many messages of each consumed topic the group
 * has not committed yet (the high watermark minus the committed offset, summed over the
 * partitions; from the low watermark where nothing is committed). Read from the broker's
 * admin API when Prometheus scrapes, at most once per `cacheMs` and within `timeoutMs`, so a
 * scrape never waits on a slow broker for long nor asks it more than that.
 */
export class ConsumerLag {
  private admin: Admin | undefined;
  private connected: Promise<void> | undefined;
  private last: { at: number; lag: Map<string, number> } | undefined;
  private reading: Promise<Map<string, number>> | undefined;

  constructor(private readonly options: ConsumerLagOptions) {
    scrapedGauge(
      options.metrics,
      {
        name: 'events_consumer_lag_messages',
        help: "Messages of each consumed topic not yet committed by this service's consumer group.",
        labelNames: ['topic'],
      },
      async (gauge) => {
        const lag = await this.current();
        for (const [topic, value] of lag) gauge.set({ topic }, value);
      },
    );
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    this.connected = undefined;
    if (admin) await admin.disconnect().catch(() => undefined);
  }

  private async current(): Promise<Map<string, number>> {
    const cacheMs = this.options.cacheMs ?? 10_000;
    if (this.last && Date.now() - this.last.at < cacheMs) return this.last.lag;
    this.reading ??= this.read().finally(() => {
      this.reading = undefined;
    });
    try {
      const lag = await withTimeout(this.reading, this.options.timeoutMs ?? 2_000);
      this.last = { at: Date.now(), lag };
      return lag;
    } catch {
      return this.last?.lag ?? new Map();
    }
  }

  private async read(): Promise<Map<string, number>> {
    this.admin ??= this.options.kafka.admin();
    const admin = this.admin;
    this.connected ??= admin.connect().catch((error: unknown) => {
      this.connected = undefined;
      throw error;
    });
    await this.connected;
    const topics = [...this.options.topics];
    const [committed, ends] = await Promise.all([
      admin.fetchOffsets({ groupId: this.options.groupId, topics }),
      Promise.all(topics.map(async (topic) => [topic, await admin.fetchTopicOffsets(topic)] as const)),
    ]);
    const lag = new Map<string, number>();
    for (const [topic, partitions] of ends) {
      const offsets = committed.find((entry) => entry.topic === topic)?.partitions ?? [];
      lag.set(topic, lagOf(partitions, offsets));
    }
    return lag;
  }
}

/** Messages not yet committed, summed over the partitions; where nothing is committed, from the low watermark. */
export function lagOf(
  ends: readonly { partition: number; high: string; low: string }[],
  committed: readonly { partition: number; offset: string }[],
): number {
  let total = 0n;
  for (const end of ends) {
    const offset = committed.find((entry) => entry.partition === end.partition)?.offset ?? '-1';
    const from = BigInt(offset) >= 0n ? BigInt(offset) : BigInt(end.low);
    const behind = BigInt(end.high) - from;
    if (behind > 0n) total += behind;
  }
  return Number(total);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), ms);
    timer.unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
