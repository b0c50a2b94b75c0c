import { cpus } from 'node:os';
import { startStack } from '@messngr/e2e/harness';
import { startInfrastructure, type RunningInfrastructure } from '@messngr/infra';
import { ALL_TOPICS } from '@messngr/contracts';
import { accountOverviewReport } from './account-overview-report';
import { gatewayOverhead } from './gateway-overhead';
import { startGatewayProcess, type GatewayProcess } from './gateway-process';
import { identityCore, type Measured } from './identity-core';
import type { LoadResult } from './load';
import { describeCpuPerOperation, ProcessCpu } from './process-cpu';
import { describe, tally, withCommandMonitoring } from './round-trips';

/** Keycloak's refresh-token grant on the same kind of 2-core box. */
const KEYCLOAK_REFRESHES_PER_SECOND = 400;

/**
 * `npm run bench`: benchmarks reported as ratios of figures measured side by side in one
 * run. Everything (load generator included) shares this machine's cores, so absolute
 * numbers are for comparison within the run only.
 */
async function main(): Promise<void> {
  const say = (line: string) => process.stderr.write(`${line}\n`);
  let infrastructure: RunningInfrastructure | undefined;
  if (!process.env['MONGODB_URI'] || !process.env['KAFKA_BROKERS']) {
    infrastructure = await startInfrastructure({ name: 'bench', topics: ALL_TOPICS, log: (line) => say(`[infra] ${line}`) });
    process.env['MONGODB_URI'] = infrastructure.mongoUri;
    process.env['KAFKA_BROKERS'] = infrastructure.kafkaBrokers;
  }
  // The driver's own opt-in to command monitoring, so the identity subgraph's database round
  // trips can be counted; every service of the stack (and the DB-only replay) runs with it.
  const mongoUri = withCommandMonitoring(process.env['MONGODB_URI']);
  process.env['MONGODB_URI'] = mongoUri;
  process.env['E2E_LOG_LEVEL'] ??= 'warn';
  const stack = await startStack();
  let gatewayProcess: GatewayProcess | undefined;
  try {
    const seconds = Number(process.env['BENCH_SECONDS'] ?? 5);
    const concurrency = Number(process.env['BENCH_CONCURRENCY'] ?? 16);
    if (process.argv[2] === 'account-overview') {
      const adminToken = await stack.adminTokenFromCli();
      process.stdout.write(`${await accountOverviewReport(stack, adminToken, { mongoUri, concurrency, seconds, say })}\n`);
      return;
    }
    gatewayProcess = await startGatewayProcess(stack);
    say(
      `gateway overhead: ${concurrency} concurrent clients, 2 rounds of ${seconds} s per side, ${cpus().length} cores shared by everything`,
    );
    const adminToken = await stack.adminTokenFromCli();
    const gatewayProcessUrl = gatewayProcess.url;
    const cpu = new ProcessCpu({ gatewayPid: gatewayProcess.pid });
    const overhead = await gatewayOverhead(stack, {
      concurrency,
      seconds,
      rounds: 2,
      token: adminToken,
      gatewayProcessUrl,
      cpu,
    });
    const { gateway, direct } = overhead;
    const row = (name: string, r: LoadResult) =>
      `| ${name} | ${r.perSecond.toFixed(0)} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${r.requests} | ${r.failures} |`;
    /** Each side's rate as a table row, and where its CPU went as a list item below the table. */
    const sideRows = (sides: [string, LoadResult][]) => sides.map(([name, r]) => row(name, r));
    const cpuLines = (sides: [string, LoadResult][]) =>
      sides.map(([name, r]) => `- ${name}: ${describeCpuPerOperation(r.cpu, r.requests)}`);
    const meSides: [string, LoadResult][] = [
      ['through the gateway in its own process (as deployed)', overhead.gatewayProcess],
      ["through the harness's gateway (one event loop with the subgraphs)", gateway],
      ['straight to the identity subgraph', direct],
    ];
    const gatewayRatio = gateway.perSecond / direct.perSecond;
    const gatewayProcessRatio = overhead.gatewayProcess.perSecond / direct.perSecond;
    const lines = [
      '| authenticated `{ me { id handle } }` | req/s | p50 ms | p99 ms | requests | failures |',
      '| --- | --- | --- | --- | --- | --- |',
      ...sideRows(meSides),
      '',
      `gateway/direct throughput ratio: ${gatewayProcessRatio.toFixed(2)} with the gateway in its own process, ${gatewayRatio.toFixed(2)} in-process`,
      '',
      'CPU milliseconds per request, by process (from /proc; the bench process holds the load generator, the subgraphs and the in-process gateway):',
      ...cpuLines(meSides),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);

    const core = await identityCore(stack, adminToken, {
      mongoUri,
      concurrency,
      seconds,
      rounds: 2,
      say,
      gatewayProcessUrl,
      cpu,
    });
    const { refresh, returningSignIn, firstSignIn } = core;
    const ratio = (measured: Measured) => measured.gateway.perSecond / measured.dbOnly.perSecond;
    const verdict = (value: number, target: number) =>
      `${value.toFixed(2)} | ≥ ${target} | ${value >= target ? 'met' : 'missed'}`;
    const trips = (name: string, measured: Measured) => {
      const per = measured.roundTrips.perOperation;
      const background = per.consumer + per.other;
      const alone = measured.alone.filter((command) => command.origin === 'request').length;
      const replayed = [...measured.replayed.values()].reduce((sum, count) => sum + count, 0);
      return `| ${name} | ${alone} | ${per.request.toFixed(2)} | ${per.courier.toFixed(2)} | ${per.relay.toFixed(2)} | ${background.toFixed(2)} | ${replayed.toFixed(2)} |`;
    };
    const details = (name: string, measured: Measured) => {
      const { detail, operations, failures } = measured.roundTrips;
      const alone = tally(measured.alone);
      const matches =
        alone.size === measured.replayed.size &&
        [...alone].every(([key, count]) => Math.abs((measured.replayed.get(key) ?? 0) - count) < 0.01);
      return [
        `- ${name}, alone, in order: ${sequence(measured.alone)}`,
        `- ${name}, at ${concurrency} clients (${operations} operations${failures > 0 ? `, ${failures} failed` : ''}), per operation:`,
        `  - request path: ${describe(detail.request)}`,
        `  - code courier: ${describe(detail.courier)}`,
        `  - outbox relay (polls included): ${describe(detail.relay)}`,
        ...(detail.consumer.size + detail.other.size > 0
          ? [`  - other: ${describe(new Map([...detail.consumer, ...detail.other]))}`]
          : []),
        `  - DB-only replay: ${describe(measured.replayed)}${matches ? ' (the sequence recorded alone)' : ' — DIFFERS from the sequence recorded alone'}`,
      ];
    };
    const idle = core.idle;
    const failureNotes = (
      [
        ['refreshSession', refresh],
        ['sign-in, returning', returningSignIn],
        ['first sign-in', firstSignIn],
      ] as const
    ).flatMap(([name, measured]) =>
      measured.failureReasons.length > 0 ? [`${name} failures: ${measured.failureReasons.join('; ')}`] : [],
    );
    const refreshSides: [string, LoadResult][] = [
      ['through the gateway in its own process (as deployed)', refresh.gatewayProcess],
      ["through the harness's gateway (one event loop with the subgraphs)", refresh.gateway],
      ['straight to the identity subgraph (signed assertion)', refresh.direct],
      ['DB-only: its round trips straight against the database', refresh.dbOnly],
    ];
    const more = [
      '',
      `| \`refreshSession\`, ${concurrency} clients each rotating its own session | req/s | p50 ms | p99 ms | requests | failures |`,
      '| --- | --- | --- | --- | --- | --- |',
      ...sideRows(refreshSides),
      '',
      'CPU milliseconds per refresh, by process:',
      ...cpuLines(refreshSides),
      '',
      `| sign-in: \`startLogin\`, code from the SMTP sink, \`completeLogin\` (${concurrency} clients) | logins/s | p50 ms | p99 ms | logins | failures |`,
      '| --- | --- | --- | --- | --- | --- |',
      row('returning account (an address per client), through the gateway', returningSignIn.gateway),
      row('returning account, DB-only', returningSignIn.dbOnly),
      row('first sign-in (a new address each time), through the gateway', firstSignIn.gateway),
      row('first sign-in, DB-only', firstSignIn.dbOnly),
      '',
      `| identity subgraph → database, commands per operation | request path, alone | request path, ${concurrency} clients | code courier | outbox relay | other | DB-only replay |`,
      '| --- | --- | --- | --- | --- | --- | --- |',
      trips('`refreshSession`', refresh),
      trips('sign-in, returning account', returningSignIn),
      trips('first sign-in', firstSignIn),
      '',
      "Counted with the driver's command monitoring (`commandStarted`) on the identity subgraph's own client: one operation alone, and",
      `every operation of a run at ${concurrency} concurrent clients; the origin of each command is read from the async stack it was sent from.`,
      `Background columns are net of idle polling, which with no traffic is ${describeRate(idle)}. The DB-only side replays the operation`,
      "alone: its request path, and for a sign-in also the courier's work on its flow (read, claim, write delivered).",
      ...details('`refreshSession`', refresh),
      ...details('sign-in, returning account', returningSignIn),
      ...details('first sign-in', firstSignIn),
      ...(failureNotes.length > 0 ? ['', ...failureNotes] : []),
      '',
      '| ratio | measured | target | |',
      '| --- | --- | --- | --- |',
      `| gateway/direct (\`me\`), gateway in its own process | ${verdict(gatewayProcessRatio, 0.6)} |`,
      `| gateway/direct (\`me\`), in-process gateway | ${verdict(gatewayRatio, 0.6)} |`,
      `| refresh/DB-only, gateway in its own process | ${verdict(refresh.gatewayProcess.perSecond / refresh.dbOnly.perSecond, 0.67)} |`,
      `| refresh/DB-only, in-process gateway | ${verdict(ratio(refresh), 0.67)} |`,
      `| refresh, gateway/direct · direct/DB-only | ${(refresh.gateway.perSecond / refresh.direct.perSecond).toFixed(2)} · ${(refresh.direct.perSecond / refresh.dbOnly.perSecond).toFixed(2)} | | |`,
      `| sign-in/DB-only, returning account | ${verdict(ratio(returningSignIn), 0.67)} |`,
      `| sign-in/DB-only, first sign-in | ${verdict(ratio(firstSignIn), 0.67)} |`,
      '',
      `refreshSession ${refresh.gatewayProcess.perSecond.toFixed(0)}/s with the gateway in its own process, ${refresh.gateway.perSecond.toFixed(0)}/s in-process, vs Keycloak ≈${KEYCLOAK_REFRESHES_PER_SECOND}/s`,
    ];
    process.stdout.write(`${more.join('\n')}\n`);
  } finally {
    await gatewayProcess?.stop();
    await stack.stop();
    await infrastructure?.stop();
  }
}

/** Commands in order, repeats folded: `find login_lockouts → aggregate send_slots ×3 → …`. */
function sequence(commands: { name: string; collection: string; origin: string }[]): string {
  const parts: { text: string; count: number }[] = [];
  for (const command of commands) {
    const text = `${command.origin === 'request' ? '' : `(${command.origin}) `}${command.name} ${command.collection}`;
    const last = parts[parts.length - 1];
    if (last?.text === text) last.count += 1;
    else parts.push({ text, count: 1 });
  }
  return parts.map((part) => (part.count > 1 ? `${part.text} ×${part.count}` : part.text)).join(' → ') || 'none';
}

function describeRate(idle: Record<string, number>): string {
  const parts = Object.entries(idle)
    .filter(([, perSecond]) => perSecond > 0)
    .map(([origin, perSecond]) => `${origin} ${perSecond.toFixed(1)}/s`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
