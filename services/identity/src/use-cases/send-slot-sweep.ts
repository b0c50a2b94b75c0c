import type { Clock } from '@messngr/kit/core';
import type { Logger } from '@messngr/kit/logging';
import { PeriodicWorker } from '@messngr/kit/subgraph';
import type { SendSlotRepository } from '../persistence/send-slot.repository';

const SWEEP_EVERY_MS = 10 * 60_000;

/** Removes the send slots of hours that have ended, so the collection holds about an hour of sends. */
export function sendSlotSweep(deps: { sendSlots: SendSlotRepository; clock: Clock; logger: Logger }) {
  return new PeriodicWorker({
    name: 'send-slot-sweep',
    everyMs: SWEEP_EVERY_MS,
    logger: deps.logger,
    task: () => deps.sendSlots.sweepEnded(deps.clock.now()),
  });
}
