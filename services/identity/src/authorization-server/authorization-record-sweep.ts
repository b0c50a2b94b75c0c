import type { Clock } from '@messngr/kit/core';
import type { Logger } from '@messngr/kit/logging';
import { PeriodicWorker } from '@messngr/kit/subgraph';
import type { AuthorizationServers } from './authorization-servers';

const SWEEP_EVERY_MS = 10 * 60_000;

/** Expired authorization-server records go (every read checks expiry itself; this only frees the space). */
export function authorizationRecordSweep(deps: { authorizationServers: AuthorizationServers; clock: Clock; logger: Logger }) {
  return new PeriodicWorker({
    name: 'authorization-record-sweep',
    everyMs: SWEEP_EVERY_MS,
    logger: deps.logger,
    task: () => deps.authorizationServers.sweepExpired(deps.clock.now()),
  });
}
