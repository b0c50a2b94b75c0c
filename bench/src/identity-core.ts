import { randomBytes } from 'node:crypto';
import type { Stack } from '@messngr/e2e/harness';
import { exemplarReplay, openReplayDatabase, ownCommands, refreshReplay } from './db-only';
import { FailureReasons, runTimes, sideBySide, type LoadResult } from './load';
import { signInThroughGateway } from './login';
import { refreshStraightToSubgraph, refreshThroughGateway, signInClients } from './refresh';
import {
  CommandRecorder,
  countRoundTrips,
  idleRate,
  tally,
  type Origin,
  type RecordedCommand,
  type RoundTrips,
} from './round-trips';
import type { ProcessCpu } from './process-cpu';
import { benchTenant } from './sign-in';

export interface Measured {
  gateway: LoadResult;
  dbOnly: LoadResult;
  /** The identity subgraph's commands per operation, at the bench's concurrency. */
  roundTrips: RoundTrips;
  /** One operation's own commands, recorded while it ran alone: what the DB-only side replays. */
  alone: RecordedCommand[];
  /** What the replay sends per operation, `name collection` → count. */
  replayed: Map<string, number>;
  failureReasons: string[];
}

export interface IdentityCoreResults {
  /** `gatewayProcess`: through the gateway in its own process, as deployed. */
  refresh: Measured & { direct: LoadResult; gatewayProcess: LoadResult };
  returningSignIn: Measured;
  firstSignIn: Measured;
  /** Commands per second the identity subgraph sends with no traffic, by origin. */
  idle: Record<Origin, number>;
}

/**
 * Sessions and sign-in: `refreshSession` and a whole sign-in by one-time code through the
 * gateway, the identity subgraph's database round trips per operation (command monitoring),
 * and the same command sequence replayed straight against the database at the same
 * concurrency, alternated in rounds so every side sees the same machine.
 */
export async function identityCore(
  stack: Stack,
  adminToken: string,
  options: {
    mongoUri: string;
    concurrency: number;
    seconds: number;
    rounds: number;
    say: (line: string) => void;
    /** A gateway in its own process in front of the same subgraphs. */
    gatewayProcessUrl: string;
    cpu?: ProcessCpu;
  },
): Promise<IdentityCoreResults> {
  const { concurrency, seconds, rounds, say } = options;
  const run = randomBytes(3).toString('hex');
  const tenant = await benchTenant(stack, adminToken);
  say(`signing in ${concurrency} clients for refresh and ${concurrency} returning accounts (code from the SMTP sink)`);
  const sessionClients = await signInClients(stack, tenant.id, `refresh-${run}`, concurrency);
  const returningClients = await signInClients(stack, tenant.id, `login-${run}`, concurrency);

  const refreshFailures = new FailureReasons();
  const returningFailures = new FailureReasons();
  const firstFailures = new FailureReasons();
  const refresh = refreshThroughGateway(stack.gatewayUrl, sessionClients, refreshFailures);
  const refreshViaGatewayProcess = refreshThroughGateway(options.gatewayProcessUrl, sessionClients, refreshFailures);
  const refreshDirect = await refreshStraightToSubgraph(stack, sessionClients, refreshFailures);
  const returning = signInThroughGateway(stack, tenant.id, (worker) => returningClients[worker]?.email ?? '', returningFailures);
  const first = signInThroughGateway(stack, tenant.id, (worker, n) => `first-${run}-${worker}-${n}@bench.test`, firstFailures);

  say('counting the identity subgraph database commands per operation (command monitoring)');
  const recorder = new CommandRecorder(stack.services.identity.runtime.connection.getClient());
  const idle = await idleRate(recorder, 2);
  // One operation alone (caches warm), with the commands as sent, and the courier's work on its flow.
  const alone = async (send: (worker: number) => Promise<boolean>): Promise<RecordedCommand[]> => {
    await send(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    recorder.start({ bodies: true });
    const succeeded = await send(0);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const recorded = recorder.take();
    if (!succeeded) throw new Error('the operation recorded alone failed');
    return ownCommands(recorded);
  };
  const refreshAlone = await alone(refresh);
  const returningAlone = await alone(returning);
  const firstAlone = await alone(first);
  const refreshTrips = await countRoundTrips(recorder, idle, () => runTimes(refresh, concurrency, 10));
  const returningTrips = await countRoundTrips(recorder, idle, () => runTimes(returning, concurrency, 2));
  const firstTrips = await countRoundTrips(recorder, idle, () => runTimes(first, concurrency, 2));

  const replay = await openReplayDatabase(options.mongoUri, stack.databases.identity, `${stack.databases.identity}_dbonly`);
  try {
    const source = replay.connection.getClient().db(stack.databases.identity);
    const realSession = await source.collection<{ _id: string }>('sessions').findOne({ _id: sessionClients[0]?.sessionId ?? '' });
    if (!realSession) throw new Error('a bench session is not in the identity database');
    const refreshOnly = await refreshReplay(replay, realSession, concurrency);
    // Send slots are counted where the service counts them: a count's cost grows with every slot the tenant took.
    const replayOptions = { workers: concurrency, sourceDatabase: stack.databases.identity, live: ['send_slots'] };
    const returningOnly = await exemplarReplay(replay, returningAlone, replayOptions);
    const firstOnly = await exemplarReplay(replay, firstAlone, replayOptions);
    // What the replays send per operation, recorded the same way.
    const replayRecorder = new CommandRecorder(replay.connection.getClient(), { classify: false });
    const replayed = async (send: (worker: number) => Promise<boolean>) => {
      replayRecorder.start();
      const { operations, failures, firstError } = await runTimes(send, concurrency, 1);
      const counts = tally(replayRecorder.take());
      if (failures > 0) {
        const reason = firstError instanceof Error ? firstError.message : String(firstError ?? 'returned false');
        throw new Error(`${failures} of ${operations} replayed operations failed, first: ${reason}`);
      }
      return new Map([...counts].map(([key, count]) => [key, count / operations]));
    };
    const refreshReplayed = await replayed(refreshOnly);
    const returningReplayed = await replayed(returningOnly);
    const firstReplayed = await replayed(firstOnly);

    const load = { concurrency, seconds, rounds, ...(options.cpu ? { cpu: options.cpu } : {}) };
    say(`refreshSession: ${rounds} rounds of ${seconds} s per side`);
    const {
      direct: refreshDirectRun,
      gatewayProcess: refreshGatewayProcessRun,
      ...refreshRun
    } = await sideBySide(
      { gateway: refresh, gatewayProcess: refreshViaGatewayProcess, direct: refreshDirect, dbOnly: refreshOnly },
      load,
    );
    say(`sign-in, returning accounts: ${rounds} rounds of ${seconds} s per side`);
    const returningRun = await sideBySide({ gateway: returning, dbOnly: returningOnly }, load);
    say(`sign-in, first sign-ins (new addresses): 1 round of ${seconds} s per side`);
    const firstRun = await sideBySide({ gateway: first, dbOnly: firstOnly }, { ...load, rounds: 1 });
    return {
      refresh: {
        ...refreshRun,
        direct: refreshDirectRun,
        gatewayProcess: refreshGatewayProcessRun,
        roundTrips: refreshTrips,
        alone: refreshAlone,
        replayed: refreshReplayed,
        failureReasons: refreshFailures.summary(),
      },
      returningSignIn: {
        ...returningRun,
        roundTrips: returningTrips,
        alone: returningAlone,
        replayed: returningReplayed,
        failureReasons: returningFailures.summary(),
      },
      firstSignIn: {
        ...firstRun,
        roundTrips: firstTrips,
        alone: firstAlone,
        replayed: firstReplayed,
        failureReasons: firstFailures.summary(),
      },
      idle,
    };
  } finally {
    await replay.close();
  }
}
