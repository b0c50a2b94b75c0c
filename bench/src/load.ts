import { addTicks, ticksBetween, type CpuTicks, type ProcessCpu } from './process-cpu';

export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
  /** CPU used by each kind of process while it ran, when measured. */
  cpu?: CpuTicks;
}

/**
 * Closed-loop load: `concurrency` workers send `send(worker)` back to back for `seconds`
 * (`worker` is 0 to concurrency - 1, for clients that hold state of their own, like a
 * session). Bounded in time and count; loopback targets only.
 */
export async function runLoad(
  send: (worker: number) => Promise<boolean>,
  { concurrency, seconds }: { concurrency: number; seconds: number },
): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async (index: number) => {
    while (performance.now() < deadline && latencies.length < 1_000_000) {
      const before = performance.now();
      const ok = await send(index).catch(() => false);
      latencies.push(performance.now() - before);
      if (!ok) failures += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, index) => worker(index)));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    requests: latencies.length,
    seconds: elapsed,
    perSecond: latencies.length / elapsed,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    failures,
  };
}

/** Several rounds of one side's results as one: summed counts, median of the rounds' percentiles. */
export function combine(results: LoadResult[]): LoadResult {
  const requests = results.reduce((sum, r) => sum + r.requests, 0);
  const seconds = results.reduce((sum, r) => sum + r.seconds, 0);
  const cpu = results.flatMap((r) => (r.cpu ? [r.cpu] : []));
  return {
    ...(cpu.length === results.length && cpu.length > 0 ? { cpu: addTicks(cpu) } : {}),
    requests,
    seconds,
    perSecond: requests / seconds,
    p50Ms: median(results.map((r) => r.p50Ms)),
    p99Ms: median(results.map((r) => r.p99Ms)),
    failures: results.reduce((sum, r) => sum + r.failures, 0),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * Each side warmed up, then `rounds` rounds with the sides alternating, so every side sees
 * the same machine (and the same other users of it) as the others.
 */
export async function sideBySide<Side extends string>(
  sides: Record<Side, (worker: number) => Promise<boolean>>,
  options: { concurrency: number; seconds: number; rounds: number; warmupSeconds?: number; cpu?: ProcessCpu },
): Promise<Record<Side, LoadResult>> {
  const names = Object.keys(sides) as Side[];
  const warmup = options.warmupSeconds ?? 1;
  if (warmup > 0) for (const name of names) await runLoad(sides[name], { concurrency: options.concurrency, seconds: warmup });
  const results = Object.fromEntries(names.map((name) => [name, [] as LoadResult[]])) as Record<Side, LoadResult[]>;
  for (let round = 0; round < options.rounds; round += 1) {
    for (const name of names) {
      const before = options.cpu?.sample();
      const result = await runLoad(sides[name], options);
      const after = options.cpu?.sample();
      results[name].push(before && after ? { ...result, cpu: ticksBetween(before, after) } : result);
    }
  }
  return Object.fromEntries(names.map((name) => [name, combine(results[name])])) as Record<Side, LoadResult>;
}

/** Why sends failed, counted by reason, for the report (the load counts only how many). */
export class FailureReasons {
  readonly #counts = new Map<string, number>();

  note(reason: string): false {
    const key = reason.slice(0, 200);
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
    return false;
  }

  /** `reason ×count`, most frequent first. */
  summary(limit = 3): string[] {
    return [...this.#counts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([reason, count]) => `${reason} ×${count}`);
  }
}

/** Each of `concurrency` workers sends `times` times, back to back; the first error thrown is kept. */
export async function runTimes(
  send: (worker: number) => Promise<boolean>,
  concurrency: number,
  times: number,
): Promise<{ operations: number; failures: number; firstError?: unknown }> {
  let failures = 0;
  let firstError: unknown;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = 0; i < times; i += 1) {
        const ok = await send(worker).catch((error: unknown) => {
          firstError ??= error;
          return false;
        });
        if (!ok) failures += 1;
      }
    }),
  );
  return { operations: concurrency * times, failures, ...(firstError === undefined ? {} : { firstError }) };
}
