import type { Clock } from '@messngr/kit/core';
import type { SubgraphRuntime } from '@messngr/kit/subgraph';
import { auditEntryModel } from './persistence/audit-entry.model';
import { AuditEntryRepository } from './persistence/audit-entry.repository';

export interface AuditDependencies {
  entries: AuditEntryRepository;
  clock: Clock;
}

export function createAuditDependencies(runtime: SubgraphRuntime): AuditDependencies {
  return { entries: new AuditEntryRepository(auditEntryModel(runtime.connection)), clock: runtime.clock };
}
