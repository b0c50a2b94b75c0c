import type { Logger } from '../logging/logger';
import type { BackgroundWorker } from './define-subgraph';

/**
 * A background worker that runs one task every `everyMs` (never two at once); `stop` waits
 * for a run under way. A failed run is logged and the next one comes at its time.
 */
export class PeriodicWorker<Result> implements BackgroundWorker {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<Result> | undefined;

  constructor(private readonly options: { name: string; everyMs: number; task: () => Promise<Result>; logger: Logger }) {}

  start(): void {
    this.#timer = setInterval(() => void this.runOnce().catch(() => undefined), this.options.everyMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#running?.catch(() => undefined);
  }

  /** Runs the task now (or joins the run under way). */
  runOnce(): Promise<Result> {
    if (this.#running) return this.#running;
    const run = this.options.task().catch((error: unknown) => {
      this.options.logger.error({ err: error, worker: this.options.name }, 'a periodic task failed');
      throw error;
    });
    this.#running = run.finally(() => (this.#running = undefined));
    return this.#running;
  }
}
