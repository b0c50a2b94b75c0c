import { mongo } from 'mongoose';
import { useStack } from './harness/stack';

const SEEDED = 3_000;

interface Seeded {
  _id: string;
  [field: string]: unknown;
}
const TENANT = 'ten_indexuse';

/**
 * The reads an account overview makes are served by an index on whichever server the tests
 * run: MongoDB's plan has an IXSCAN and no COLLSCAN; FerretDB's (PostgreSQL's EXPLAIN, which
 * FerretDB returns) uses an index and scans no table, which it only does thanks to the GIN
 * companions the infrastructure adds (`infra/src/ferretdb-index-companions.ts`). The indexes are
 * the ones the services created at start; each collection holds thousands of documents, so a
 * cost-based planner has a reason to choose.
 */
describe('index use of the account overview reads', () => {
  const env = useStack();
  let client: mongo.MongoClient;
  const collection = (database: string, name: string) => client.db(database).collection<Seeded>(name);

  beforeAll(async () => {
    client = new mongo.MongoClient(process.env['MONGODB_URI']!);
    const { databases } = env.stack;
    const n = Array.from({ length: SEEDED }, (_, i) => i);
    const account = (i: number) => `acc_indexuse${String(i).padStart(6, '0')}`;
    await collection(databases.audit, 'audit_entries').insertMany(
      n.map((i) => ({
        _id: `evt_indexuse${String(i).padStart(6, '0')}`,
        tenantId: TENANT,
        accountId: account(i % 300),
        type: 't',
      })),
      { ordered: false },
    );
    await collection(databases.device, 'devices').insertMany(
      n.map((i) => ({ _id: `dev_indexuse${i}`, tenantId: TENANT, accountId: account(i), revokedAt: null })),
      { ordered: false },
    );
    await collection(databases.identity, 'accounts').insertMany(
      n.map((i) => ({ _id: account(i), tenantId: TENANT, handle: `indexuse_${i}`, displayName: `Index ${i}` })),
      { ordered: false },
    );
  });

  afterAll(async () => {
    await client?.close();
  });

  async function planOf(database: string, name: string, filter: mongo.Filter<Seeded>, sort: mongo.Sort) {
    const plan = await collection(database, name).find(filter).sort(sort).limit(20).explain();
    return JSON.stringify(plan);
  }

  function expectIndexed(plan: string) {
    if (plan.includes('"ferretdbVersion"') || plan.includes('"Node Type"')) {
      expect(plan).toMatch(/"Node Type":"(Bitmap Index Scan|Index Scan|Index Only Scan)"/);
      expect(plan).not.toContain('"Node Type":"Seq Scan"');
    } else {
      expect(plan).toContain('"stage":"IXSCAN"');
      expect(plan).not.toContain('"stage":"COLLSCAN"');
    }
  }

  it('reads an account’s activity page by its index', async () => {
    const plan = await planOf(
      env.stack.databases.audit,
      'audit_entries',
      { tenantId: TENANT, accountId: 'acc_indexuse000042' },
      { _id: -1 },
    );
    expectIndexed(plan);
  });

  it('reads an account’s devices by their index', async () => {
    const plan = await planOf(
      env.stack.databases.device,
      'devices',
      { tenantId: TENANT, accountId: 'acc_indexuse000042', revokedAt: null },
      { _id: -1 },
    );
    expectIndexed(plan);
  });

  it('reads an account by its id, within its tenant, by an index', async () => {
    const plan = await planOf(
      env.stack.databases.identity,
      'accounts',
      { _id: 'acc_indexuse000042', tenantId: TENANT },
      { _id: 1 },
    );
    expectIndexed(plan);
  });
});
