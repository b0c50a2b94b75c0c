import type { Stack } from '@messngr/e2e/harness';
import { accountOverview, type Size } from './account-overview';

const SMALL: Size = { accounts: 1_000, auditEntries: 10_000 };
const LARGE: Size = { accounts: 100_000, auditEntries: 1_000_000 };
/** The larger data set's latency within this factor of the smaller's. */
const TARGET = 1.2;

/** `npm run bench -- account-overview`: the overview query at both sizes, p50 and p99 side by side. */
export async function accountOverviewReport(
  stack: Stack,
  adminToken: string,
  options: { mongoUri: string; concurrency: number; seconds: number; say: (line: string) => void },
): Promise<string> {
  const large = process.env['BENCH_OVERVIEW_LARGE'] === 'small' ? { accounts: 10_000, auditEntries: 100_000 } : LARGE;
  const [atSmall, atLarge] = await accountOverview(stack, adminToken, { ...options, sizes: [SMALL, large] });
  if (!atSmall || !atLarge) throw new Error('the account overview bench measured fewer than two sizes');
  const row = ({ size, result, seedSeconds }: typeof atSmall) =>
    `| ${size.accounts.toLocaleString('en')} / ${size.auditEntries.toLocaleString('en')} | ${result.perSecond.toFixed(0)} | ${result.p50Ms.toFixed(2)} | ${result.p99Ms.toFixed(2)} | ${result.requests} | ${result.failures} | ${seedSeconds.toFixed(0)} |`;
  const p50 = atLarge.result.p50Ms / atSmall.result.p50Ms;
  const p99 = atLarge.result.p99Ms / atSmall.result.p99Ms;
  const verdict = (value: number) => `${value.toFixed(2)} | ≤ ${TARGET} | ${value <= TARGET ? 'met' : 'missed'}`;
  return [
    `| account overview through the gateway (${options.concurrency} clients), accounts / audit entries | req/s | p50 ms | p99 ms | requests | failures | seeding s |`,
    '| --- | --- | --- | --- | --- | --- | --- |',
    row(atSmall),
    row(atLarge),
    '',
    '| ratio, larger / smaller | measured | target | |',
    '| --- | --- | --- | --- |',
    `| p50 | ${verdict(p50)} |`,
    `| p99 | ${verdict(p99)} |`,
  ].join('\n');
}
