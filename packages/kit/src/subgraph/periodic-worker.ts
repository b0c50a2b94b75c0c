import type { Logger } from '../logging/logger';
import type { BackgroundWorker } from './define-subgraph';

/**
 * A background worker that runs one task every `everyMs` (never two at once); `stop` aborts
 * the task's signal and waits for a run under way (a long task checks the signal between its
 * steps, so stopping never waits for all of it). A failed run is logged and the next one comes
 * at its time.
 */
export class PeriodicWorker<Result> implements BackgroundWorker {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<Result> | undefined;
  readonly #stopping = new AbortController();

  constructor(
    private readonly options: { name: string; everyMs: number; task: (signal: AbortSignal) => Promise<Result>; logger: Logger },
  ) {}

  start(): void {
    // setInterval would read anything else as 1 ms: a task run back to back.
    if (!Number.isFinite(this.options.everyMs) || this.options.everyMs < 1) {
      throw new Error(`${this.options.name}: everyMs must be a positive number of milliseconds, got ${this.options.everyMs}`);
    }
    this.#timer = setInterval(() => void this.runOnce().catch(() => undefined), this.options.everyMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#stopping.abort();
    await this.#running?.catch(() => undefined);
  }

  /** Runs the task now (or joins the run under way). */
  runOnce(): Promise<Result> {
    if (this.#running) return this.#running;
    const run = this.options.task(this.#stopping.signal).catch((error: unknown) => {
      this.options.logger.error({ err: error, worker: this.options.name }, 'a periodic task failed');
      throw error;
    });
    this.#running = run.finally(() => (this.#running = undefined));
    return this.#running;
  }
}
