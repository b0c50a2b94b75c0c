import { launchInfrastructure, type InfrastructureOptions } from './infrastructure';
import { devLogFile, removeDevState, writeDevState } from './dev-state';

/** Messages from the supervisor to the `infra up` command that spawned it. */
export type SupervisorMessage =
  { type: 'log'; line: string } | { type: 'ready'; mongoUri: string; kafkaBrokers: string } | { type: 'failed'; message: string };

/**
 * Body of the detached process behind `infra up`: it owns the servers (so their watchdog and
 * FerretDB's parent check follow it), records the state file, and stops everything on SIGTERM.
 */
export async function runDevSupervisor(options: Pick<InfrastructureOptions, 'ports' | 'topics'>): Promise<void> {
  const send = (message: SupervisorMessage): void => {
    if (process.connected) process.send?.(message);
  };
  const log = (line: string): void => {
    process.stdout.write(`${new Date().toISOString()} ${line}\n`); // into dev.log
    send({ type: 'log', line });
  };

  let launched: Awaited<ReturnType<typeof launchInfrastructure>>;
  try {
    launched = await launchInfrastructure({ name: 'dev', ...options, log });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(message);
    send({ type: 'failed', message });
    process.exitCode = 1;
    return;
  }
  const { running, details } = launched;
  await writeDevState({
    ...details,
    supervisorPid: process.pid,
    mongoUri: running.mongoUri,
    kafkaBrokers: running.kafkaBrokers,
    logFile: devLogFile,
    startedAt: new Date().toISOString(),
  });

  const keepAlive = setInterval(() => undefined, 1 << 30);
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping the dev infrastructure`);
    running
      .stop()
      .then(removeDevState)
      .then(
        () => log('stopped'),
        (error: unknown) => {
          console.error(error);
          process.exitCode = 1;
        },
      )
      .finally(() => clearInterval(keepAlive));
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, shutdown);
  send({ type: 'ready', mongoUri: running.mongoUri, kafkaBrokers: running.kafkaBrokers });
}
