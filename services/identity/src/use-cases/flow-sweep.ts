import type { Clock } from '@messngr/kit/core';
import type { Logger } from '@messngr/kit/logging';
import { PeriodicWorker } from '@messngr/kit/subgraph';
import type { IdentityDependencies } from '../dependencies';

const SWEEP_EVERY_MS = 10 * 60_000;
/** An expired flow still answers FLOW_EXPIRED (rather than "unknown") for this long. */
export const EXPIRED_FLOWS_KEPT_MS = 60 * 60_000;

type FlowStores = Pick<IdentityDependencies, 'loginFlows' | 'providerFlows' | 'identityRemovals'>;

/** Deletes the flows (codes, provider round trips, removal requests) an hour after they expired, once their events are out. */
export async function sweepExpiredFlows(deps: FlowStores, now: Date): Promise<number> {
  const before = new Date(now.getTime() - EXPIRED_FLOWS_KEPT_MS);
  const counts = await Promise.all([
    deps.loginFlows.deleteSettledBefore('expiresAt', before),
    deps.providerFlows.deleteSettledBefore('expiresAt', before),
    deps.identityRemovals.deleteSettledBefore('expiresAt', before),
  ]);
  return counts.reduce((sum, count) => sum + count, 0);
}

export function flowSweep(deps: FlowStores & { clock: Clock; logger: Logger }) {
  return new PeriodicWorker({
    name: 'flow-sweep',
    everyMs: SWEEP_EVERY_MS,
    logger: deps.logger,
    task: () => sweepExpiredFlows(deps, deps.clock.now()),
  });
}
