import { cpus } from 'node:os';
import { startStack } from '@messngr/e2e/harness';
import { startInfrastructure, type RunningInfrastructure } from '@messngr/infra';
import { ALL_TOPICS } from '@messngr/contracts';
import { gatewayOverhead } from './gateway-overhead';

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
  process.env['E2E_LOG_LEVEL'] ??= 'warn';
  const stack = await startStack();
  try {
    const seconds = Number(process.env['BENCH_SECONDS'] ?? 5);
    const concurrency = Number(process.env['BENCH_CONCURRENCY'] ?? 16);
    say(
      `gateway overhead: ${concurrency} concurrent clients, 2 rounds of ${seconds} s per side, ${cpus().length} cores shared by everything`,
    );
    const { gateway, direct } = await gatewayOverhead(stack, { concurrency, seconds, rounds: 2 });
    const row = (name: string, r: typeof gateway) =>
      `| ${name} | ${r.perSecond.toFixed(0)} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${r.requests} | ${r.failures} |`;
    const lines = [
      '| authenticated `{ me { id handle } }` | req/s | p50 ms | p99 ms | requests | failures |',
      '| --- | --- | --- | --- | --- | --- |',
      row('through the gateway', gateway),
      row('straight to the identity subgraph', direct),
      '',
      `gateway/direct throughput ratio: ${(gateway.perSecond / direct.perSecond).toFixed(2)}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await stack.stop();
    await infrastructure?.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
