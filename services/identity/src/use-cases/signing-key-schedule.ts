import type { Clock } from '@messngr/kit/core';
import type { Logger } from '@messngr/kit/logging';
import type { SigningKeys } from '../tokens/signing-keys';

const CHECK_EVERY_MS = 3_600_000;

/** Rotates every tenant's signing keys once its newest key is older than `rotateAfterMs`; checked hourly. */
export class SigningKeySchedule {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(private readonly deps: { keys: SigningKeys; clock: Clock; rotateAfterMs: number; logger: Logger }) {}

  start(): void {
    this.#timer = setInterval(() => void this.runOnce(), CHECK_EVERY_MS);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#running;
  }

  /** One pass over every keyring; returns the tenants rotated. */
  runOnce(): Promise<string[]> {
    const run = (async () => {
      const rotated: string[] = [];
      const now = this.deps.clock.now().getTime();
      for (const tenantId of await this.deps.keys.tenantsWithKeys(10_000)) {
        const newest = await this.deps.keys.newestKeyCreatedAt(tenantId);
        if (newest && now - newest.getTime() < this.deps.rotateAfterMs) continue;
        await this.deps.keys.rotate(tenantId);
        rotated.push(tenantId);
      }
      if (rotated.length > 0) this.deps.logger.info({ tenants: rotated.length }, 'signing keys rotated on schedule');
      return rotated;
    })();
    this.#running = run.then(
      () => undefined,
      (error: unknown) => this.deps.logger.error({ err: error }, 'scheduled key rotation failed'),
    );
    return run;
  }
}
