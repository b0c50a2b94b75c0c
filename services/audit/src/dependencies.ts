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
import { retentionSweep } from './use-cases/retention-sweep';

export interface AuditDependencies {
  entries: AuditEntryRepository;
  accounts: AccountReplicaRepository;
  retention: TenantRetentionRepository;
  /** Deletes entries past their tenant's retention; `runOnce()` sweeps now. */
  retentionSweep: ReturnType<typeof retentionSweep>;
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
    clock: runtime.clock,
    logger: runtime.logger,
  };
}
