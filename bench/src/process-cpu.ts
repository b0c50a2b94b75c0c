import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports process CPU time in clock ticks of 1/100 s (USER_HZ). */
const MS_PER_TICK = 10;

/** CPU time used so far, in clock ticks, by each kind of process on the machine. */
export type CpuTicks = Map<string, number>;

/**
 * Who used the machine's CPU while a side ran, from /proc/<pid>/stat (user + system time):
 * this process (load generator, subgraphs, in-process gateway), the gateway process, the
 * database tier (FerretDB and PostgreSQL), Kafka, and everything else. Undefined where there
 * is no /proc (not Linux): the report then leaves the split out.
 */
export class ProcessCpu {
  constructor(private readonly labels: { gatewayPid?: number } = {}) {}

  sample(): CpuTicks | undefined {
    let entries: string[];
    try {
      entries = readdirSync('/proc');
    } catch {
      return undefined;
    }
    const ticks: CpuTicks = new Map();
    for (const entry of entries) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue; // it ended meanwhile
      }
      // `pid (comm) state ppid ...`: comm may hold spaces, so fields are counted after its closing parenthesis.
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const used = Number(fields[11]) + Number(fields[12]);
      const label = this.labelOf(Number(entry), comm);
      ticks.set(label, (ticks.get(label) ?? 0) + used);
    }
    return ticks;
  }

  private labelOf(pid: number, comm: string): string {
    if (pid === process.pid) return 'bench process';
    if (pid === this.labels.gatewayPid) return 'gateway process';
    if (comm === 'ferretdb') return 'FerretDB';
    if (comm === 'postgres') return 'PostgreSQL';
    if (comm === 'java') return 'Kafka';
    return 'other';
  }
}

/** What was used between two samples. */
export function ticksBetween(before: CpuTicks, after: CpuTicks): CpuTicks {
  return new Map([...after].map(([label, ticks]) => [label, Math.max(0, ticks - (before.get(label) ?? 0))]));
}

/** Sums of several runs' ticks. */
export function addTicks(runs: CpuTicks[]): CpuTicks {
  const total: CpuTicks = new Map();
  for (const run of runs) for (const [label, ticks] of run) total.set(label, (total.get(label) ?? 0) + ticks);
  return total;
}

/** CPU milliseconds per operation by process, `label 1.23` joined, largest first, with the total; 'not measured' without a sample. */
export function describeCpuPerOperation(ticks: CpuTicks | undefined, operations: number): string {
  if (!ticks || operations === 0) return 'not measured';
  const parts = [...ticks]
    .map(([label, used]) => [label, (used * MS_PER_TICK) / operations] as const)
    .filter(([, ms]) => ms >= 0.01)
    .sort((a, b) => b[1] - a[1]);
  const total = parts.reduce((sum, [, ms]) => sum + ms, 0);
  return `${parts.map(([label, ms]) => `${label} ${ms.toFixed(2)}`).join(', ')} (total ${total.toFixed(2)} ms)`;
}
