/**
 * What to tear down when the process that started the infrastructure is gone: used by the
 * watchdog process, the exit hooks and `infra down`. Pids are read from files at cleanup time,
 * so the plan is complete before any server starts.
 */
export interface CleanupPlan {
  /** Files holding pids of servers to SIGKILL (missing files are skipped). */
  pidFiles: string[];
  /** PostgreSQL clusters to stop with `pg_ctl stop -m immediate`. */
  postgres: PostgresCleanup[];
  /** Folders to delete, after the servers are gone. */
  removeDirs: string[];
}

export interface PostgresCleanup {
  pgCtl: string;
  dataDir: string;
  /** Run pg_ctl as this user (via runuser) when set. */
  runAsUser: string | null;
}
