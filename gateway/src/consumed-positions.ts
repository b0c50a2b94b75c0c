/**
 * Where a reader stands in each partition (the next offset it will read), and promises for
 * when it has passed given offsets.
 */
export class ConsumedPositions {
  readonly #positions = new Map<string, bigint>();
  readonly #waiters = new Set<{ needs: ReadonlyMap<string, bigint>; done: (reached: boolean) => void }>();

  /** The reader will read `next` next in `partition`; positions never move back. */
  advance(partition: string, next: bigint): void {
    if (next <= (this.#positions.get(partition) ?? -1n)) return;
    this.#positions.set(partition, next);
    for (const waiter of this.#waiters) {
      if (!this.reached(waiter.needs)) continue;
      this.#waiters.delete(waiter);
      waiter.done(true);
    }
  }

  /** Whether the reader has read everything before `ends` (next offset to be written, per partition). */
  reached(ends: ReadonlyMap<string, bigint>): boolean {
    for (const [partition, end] of ends) if ((this.#positions.get(partition) ?? 0n) < end) return false;
    return true;
  }

  /** True once `reached(ends)`; false after `timeoutMs` when given. */
  whenReached(ends: ReadonlyMap<string, bigint>, timeoutMs?: number): Promise<boolean> {
    if (this.reached(ends)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              this.#waiters.delete(waiter);
              resolve(false);
            }, timeoutMs);
      timer?.unref();
      const waiter = {
        needs: ends,
        done: (reached: boolean) => {
          clearTimeout(timer);
          resolve(reached);
        },
      };
      this.#waiters.add(waiter);
    });
  }
}
