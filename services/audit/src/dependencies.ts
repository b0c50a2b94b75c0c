import type { Clock } from '@messngr/kit/core';
import type { Logger } from '@messngr/kit/logging';
import type { SubgraphRuntime } from '@messngr/kit/subgraph';
import type { AuditConfig } from './config';
import { accountReplicaModel } from './persistence/account-replica.model';
import { AccountReplicaRepository } from './persistence/account-replica.repository';
import { auditEntryModel } from './persistence/audit-entry.model';
import { AuditEntryRepository } from './persistence/audit-entry.repository';
import { tenantRetentionModel } from './persistence/tenant-retention.model';
import { TenantRetentionRepository } from './persistence/tenant-retention.repository';
import { DEFAULT_AUDIT_RETENTION_DAYS, retentionSweep, sweepTenantEntries } from './use-cases/retention-sweep';

export interface AuditDependencies {
  entries: AuditEntryRepository;
  accounts: AccountReplicaRepository;
  retention: TenantRetentionRepository;
  /** Deletes entries past their tenant's retention; `runOnce()` sweeps every tenant now. */
  retentionSweep: ReturnType<typeof retentionSweep>;
  /** Sweeps one tenant now, by the retention the audit subgraph knows for it (365 days when it knows none); how many it deleted. */
  sweepTenant(tenantId: string): Promise<number>;
  clock: Clock;
  logger: Logger;
}

export function createAuditDependencies(runtime: SubgraphRuntime, config: AuditConfig): AuditDependencies {
  const entries = new AuditEntryRepository(auditEntryModel(runtime.connection));
  const retention = new TenantRetentionRepository(tenantRetentionModel(runtime.connection));
  return {
    entries,
    accounts: new AccountReplicaRepository(accountReplicaModel(runtime.connection)),
    retention,
    retentionSweep: retentionSweep({
      entries,
      retention,
      clock: runtime.clock,
      logger: runtime.logger,
      everyMs: config.retentionSweepEveryMs,
      batchSize: config.retentionBatchSize,
    }),
    sweepTenant: async (tenantId) => {
      const known = await retention.findById(tenantId);
      const tenant = known ?? { _id: tenantId, auditRetentionDays: DEFAULT_AUDIT_RETENTION_DAYS };
      return sweepTenantEntries({ entries }, tenant, runtime.clock.now(), config.retentionBatchSize);
    },
    clock: runtime.clock,
    logger: runtime.logger,
  };
}
