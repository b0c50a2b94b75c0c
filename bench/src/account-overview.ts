import { randomBytes } from 'node:crypto';
import { newId } from '@messngr/kit/core';
import { connectMongo } from '@messngr/kit/mongo';
import type { Stack } from '@messngr/e2e/harness';
import { combine, runLoad, type LoadResult } from './load';
import { benchTenant, ok, signIn } from './sign-in';

/** What an account overview screen asks in one request: profile, identities, devices and the latest activity. */
export const ACCOUNT_OVERVIEW = `{
  me {
    id displayName handle preferredLocale timeZone status
    identities { id kind displayValue verified verifiedAt lastUsedAt }
    devices { id name platform status registeredAt lastHandshakeAt }
    activity(first: 20) { edges { node { id type occurredAt sentence relativeTime actorType } } }
  }
}`;

export interface Size {
  accounts: number;
  auditEntries: number;
}

export interface OverviewAtSize {
  size: Size;
  result: LoadResult;
  seedSeconds: number;
}

const BATCH = 2_000;

/**
 * The account overview query through the gateway at a small and a large data set: one
 * signed-in account with real devices, identities and activity, among `accounts` others of
 * its tenant (one device each) and `auditEntries` audit entries spread over them, seeded in
 * bulk straight into each subgraph's database. The same account is measured at both sizes,
 * so the ratio shows what the data's growth costs a page (the indexes' work).
 */
export async function accountOverview(
  stack: Stack,
  adminToken: string,
  options: { sizes: [Size, Size]; concurrency: number; seconds: number; mongoUri: string; say: (line: string) => void },
): Promise<OverviewAtSize[]> {
  const tenant = await benchTenant(stack, adminToken);
  const viewer = await signIn(stack, tenant.id, `overview-${Date.now().toString(36)}@bench.test`);
  // Its devices, and its activity (sign-in, account created): give the consumers time to record it.
  await waitForOverview(stack, viewer.accessToken);
  const [identity, device, audit] = await Promise.all(
    [stack.databases.identity, stack.databases.device, stack.databases.audit].map((name) => connectMongo(options.mongoUri, name)),
  );
  const stores: Stores = {
    accounts: identity!.collection('accounts'),
    devices: device!.collection('devices'),
    entries: audit!.collection('audit_entries'),
  };
  const seeded: Size = { accounts: 0, auditEntries: 0 };
  const results: OverviewAtSize[] = [];
  try {
    for (const size of options.sizes) {
      const started = performance.now();
      await seedUpTo(stores, tenant.id, seeded, size, options.say);
      const seedSeconds = (performance.now() - started) / 1000;
      options.say(`overview: measuring at ${size.accounts} accounts / ${size.auditEntries} audit entries`);
      const send = () => overviewOnce(stack, viewer.accessToken);
      await runLoad(send, { concurrency: options.concurrency, seconds: 1 });
      const rounds: LoadResult[] = [];
      for (let round = 0; round < 2; round += 1) rounds.push(await runLoad(send, options));
      results.push({ size, result: combine(rounds), seedSeconds });
    }
  } finally {
    await Promise.all([identity, device, audit].map((connection) => connection?.close()));
  }
  return results;
}

async function overviewOnce(stack: Stack, token: string): Promise<boolean> {
  const response = await stack.graphql<{ me: { devices: unknown[]; activity: { edges: unknown[] } } | null }>(
    ACCOUNT_OVERVIEW,
    {},
    token,
  );
  return !response.errors?.length && (response.data?.me?.activity.edges.length ?? 0) > 0;
}

async function waitForOverview(stack: Stack, token: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await stack.graphql<{ me: { devices: unknown[]; activity: { edges: unknown[] } } | null }>(
      ACCOUNT_OVERVIEW,
      {},
      token,
    );
    const me = ok(response, 'account overview').me;
    if (me && me.activity.edges.length > 0) return;
    if (Date.now() > deadline) throw new Error('the viewer’s activity was not recorded within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

type Document = Record<string, unknown>;

interface Stores {
  accounts: { insertMany(documents: Document[], options: { ordered: boolean }): Promise<unknown> };
  devices: Stores['accounts'];
  entries: Stores['accounts'];
}

/** Adds accounts (identity), their devices (device) and audit entries (audit) until `seeded` reaches `size`. */
async function seedUpTo(
  { accounts, devices, entries }: Stores,
  tenantId: string,
  seeded: Size,
  size: Size,
  say: (line: string) => void,
) {
  const run = randomBytes(3).toString('hex');
  const now = Date.now();
  while (seeded.accounts < size.accounts) {
    const count = Math.min(BATCH, size.accounts - seeded.accounts);
    const batch = Array.from({ length: count }, (_, i) => seeded.accounts + i);
    await accounts.insertMany(
      batch.map((n) => accountDocument(tenantId, run, n, now)),
      { ordered: false },
    );
    await devices.insertMany(
      batch.map((n) => deviceDocument(tenantId, accountIdOf(run, n), now)),
      { ordered: false },
    );
    seeded.accounts += count;
    if (seeded.accounts % 20_000 === 0) say(`overview: seeded ${seeded.accounts} accounts`);
  }
  while (seeded.auditEntries < size.auditEntries) {
    const count = Math.min(BATCH, size.auditEntries - seeded.auditEntries);
    const batch = Array.from({ length: count }, (_, i) => seeded.auditEntries + i);
    await entries.insertMany(
      batch.map((n) => auditEntryDocument(tenantId, accountIdOf(run, n % Math.max(1, seeded.accounts)), now - n * 1000)),
      { ordered: false },
    );
    seeded.auditEntries += count;
    if (seeded.auditEntries % 100_000 === 0) say(`overview: seeded ${seeded.auditEntries} audit entries`);
  }
}

function accountIdOf(run: string, n: number): string {
  return `acc_bench${run}${n.toString(36).padStart(8, '0')}`;
}

function accountDocument(tenantId: string, run: string, n: number, now: number): Document {
  const created = new Date(now - n * 60_000);
  return {
    _id: accountIdOf(run, n),
    version: 1,
    pendingEvents: [],
    outboxPending: false,
    outboxSince: null,
    tenantId,
    displayName: `Bench Person ${n}`,
    handle: `bench_${run}_${n}`,
    preferredLocale: n % 2 === 0 ? 'nb' : 'en',
    timeZone: 'Europe/Oslo',
    status: 'ACTIVE',
    roles: [],
    identities: [],
    recoveryCodes: null,
    createdAt: created,
    updatedAt: created,
  };
}

function deviceDocument(tenantId: string, accountId: string, now: number): Document {
  return {
    _id: newId('dev', now),
    version: 1,
    pendingEvents: [],
    outboxPending: false,
    outboxSince: null,
    tenantId,
    accountId,
    name: 'Bench phone',
    platform: 'ANDROID',
    publicKeyFingerprint: null,
    sessionId: null,
    registeredAt: new Date(now),
    lastHandshakeAt: null,
    revokedAt: null,
    revokedBy: null,
    revocationReason: null,
  };
}

function auditEntryDocument(tenantId: string, accountId: string, time: number): Document {
  return {
    _id: newId('evt', time),
    tenantId,
    accountId,
    type: 'identity.session.started',
    source: '/messngr/identity',
    subject: newId('ses', time),
    actorId: accountId,
    actorType: 'account',
    time: new Date(time),
    recordedAt: new Date(time),
    data: { session: { id: 'ses_bench' }, device: { name: 'Bench phone', platform: 'ANDROID' } },
  };
}
