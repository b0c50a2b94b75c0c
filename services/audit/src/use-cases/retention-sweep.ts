import { asTenantId, type Clock } from '@messngr/kit/core';
import type { Logger } from '@messngr/kit/logging';
import { PeriodicWorker } from '@messngr/kit/subgraph';
import { STARTING_TENANT_POLICY } from '@messngr/contracts';
import { firstEventIdAt } from '../domain/event-id-bounds';
import type { AuditEntryRepository } from '../persistence/audit-entry.repository';
import type { TenantRetentionDocument } from '../persistence/tenant-retention.model';
import type { TenantRetentionRepository } from '../persistence/tenant-retention.repository';

const DAY_MS = 24 * 3600 * 1000;
export const DEFAULT_AUDIT_RETENTION_DAYS = STARTING_TENANT_POLICY.auditRetentionDays;

export interface RetentionSweepDeps {
  entries: Pick<AuditEntryRepository, 'oldestIdsBelow' | 'deleteByIds'>;
  retention: Pick<TenantRetentionRepository, 'page'>;
  clock: Clock;
}

/**
 * Deletes every known tenant's entries older than its retention, in batches of `batchSize`:
 * find that many ids by the (tenantId, _id) index, delete exactly those, until a batch comes
 * back short, so no single delete grows with the store. How many were deleted.
 */
export async function sweepExpiredEntries(
  deps: RetentionSweepDeps,
  batchSize: number,
  signal: AbortSignal = new AbortController().signal,
): Promise<number> {
  const now = deps.clock.now();
  let deleted = 0;
  let after: string | null = null;
  for (;;) {
    const tenants = await deps.retention.page(after, 100);
    for (const tenant of tenants) {
      // Stopping: the next run picks up where this one would have gone on.
      if (signal.aborted) return deleted;
      deleted += await sweepTenantEntries(deps, tenant, now, batchSize);
    }
    if (tenants.length < 100) return deleted;
    after = tenants.at(-1)!._id;
  }
}

/** One tenant's part of the sweep: its entries older than its retention, `batchSize` ids at a time; how many. */
export async function sweepTenantEntries(
  deps: Pick<RetentionSweepDeps, 'entries'>,
  tenant: Pick<TenantRetentionDocument, '_id' | 'auditRetentionDays'>,
  now: Date,
  batchSize: number,
): Promise<number> {
  // A batch size that is not a positive integer would never come back short: the loop would not end.
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(`retention batch size must be a positive integer, got ${batchSize}`);
  const tenantId = asTenantId(tenant._id);
  const belowId = firstEventIdAt(new Date(now.getTime() - tenant.auditRetentionDays * DAY_MS));
  let deleted = 0;
  for (;;) {
    const ids = await deps.entries.oldestIdsBelow(tenantId, belowId, batchSize);
    deleted += await deps.entries.deleteByIds(tenantId, ids);
    if (ids.length < batchSize) return deleted;
  }
}

export function retentionSweep(deps: RetentionSweepDeps & { logger: Logger; everyMs: number; batchSize: number }) {
  return new PeriodicWorker({
    name: 'audit-retention-sweep',
    everyMs: deps.everyMs,
    logger: deps.logger,
    task: async (signal) => {
      const deleted = await sweepExpiredEntries(deps, deps.batchSize, signal);
      if (deleted > 0) deps.logger.info({ deleted }, 'audit entries past their tenant’s retention deleted');
      return deleted;
    },
  });
}
