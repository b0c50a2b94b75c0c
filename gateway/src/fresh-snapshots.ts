/**
 * Results of `fetch` that are fresh for each caller: `next()` resolves with a fetch that
 * began after it was called. Callers arriving while a fetch is under way share the one that
 * follows it, so any number of concurrent callers cost at most two fetches at a time.
 */
export class FreshSnapshots<T> {
  #running: Promise<T> | undefined;
  #queued: Promise<T> | undefined;

  constructor(private readonly fetch: () => Promise<T>) {}

  next(): Promise<T> {
    if (!this.#running) {
      const running = this.fetch().finally(() => {
        if (this.#running === running) this.#running = undefined;
      });
      this.#running = running;
      return running;
    }
    if (!this.#queued) {
      const settled = this.#running.then(
        () => undefined,
        () => undefined,
      );
      this.#queued = settled.then(() => {
        this.#queued = undefined;
        return this.next();
      });
    }
    return this.#queued;
  }
}
