import type { Clock } from '@messngr/kit/core';
import type { Logger } from '@messngr/kit/logging';
import { PeriodicWorker } from '@messngr/kit/subgraph';
import type { SigningKeys } from '../tokens/signing-keys';

const CHECK_EVERY_MS = 3_600_000;

/** Rotates every tenant's signing keys once its newest key is older than `rotateAfterMs`; checked hourly. */
export function signingKeySchedule(deps: { keys: SigningKeys; clock: Clock; rotateAfterMs: number; logger: Logger }) {
  return new PeriodicWorker({
    name: 'signing-key-schedule',
    everyMs: CHECK_EVERY_MS,
    logger: deps.logger,
    task: async () => {
      const rotated: string[] = [];
      const now = deps.clock.now().getTime();
      for (const tenantId of await deps.keys.tenantsWithKeys(10_000)) {
        const newest = await deps.keys.newestKeyCreatedAt(tenantId);
        if (newest && now - newest.getTime() < deps.rotateAfterMs) continue;
        await deps.keys.rotate(tenantId);
        rotated.push(tenantId);
      }
      if (rotated.length > 0) deps.logger.info({ tenants: rotated.length }, 'signing keys rotated on schedule');
      return rotated;
    },
  });
}
