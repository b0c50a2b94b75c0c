import { newId } from '@messngr/kit/core';
import { sweepExpiredEntries } from './retention-sweep';

const NOW = new Date('2026-12-02T12:00:00.000Z');
const DAY = 24 * 3600_000;

describe('the retention sweep', () => {
  it("deletes each tenant's entries older than its retention, in bounded batches, and counts them", async () => {
    const stored = new Map<string, { tenantId: string }>();
    const put = (tenantId: string, daysAgo: number) => stored.set(newId('evt', NOW.getTime() - daysAgo * DAY), { tenantId });
    for (let i = 0; i < 7; i += 1) put('ten_short', 10 + i);
    put('ten_short', 2);
    put('ten_long', 40);
    put('ten_unknown', 4000);
    const batches: number[] = [];
    const entries = {
      oldestIdsBelow: async (tenantId: string, belowId: string, limit: number) =>
        [...stored]
          .filter(([id, e]) => e.tenantId === tenantId && id < belowId)
          .map(([id]) => id)
          .sort()
          .slice(0, limit),
      deleteByIds: async (tenantId: string, ids: string[]) => {
        batches.push(ids.length);
        return ids.filter((id) => stored.get(id)?.tenantId === tenantId && stored.delete(id)).length;
      },
    };
    const retention = {
      page: async (after: string | null) =>
        [
          { _id: 'ten_long', sequence: 1, auditRetentionDays: 365 },
          { _id: 'ten_short', sequence: 3, auditRetentionDays: 7 },
        ].filter((t) => after === null || t._id > after),
    };
    const deleted = await sweepExpiredEntries({ entries, retention, clock: { now: () => NOW } }, 3);
    expect(deleted).toBe(7);
    expect(batches).toEqual([0, 3, 3, 1]);
    expect([...stored.values()].map((e) => e.tenantId).sort()).toEqual(['ten_long', 'ten_short', 'ten_unknown']);
  });
});
