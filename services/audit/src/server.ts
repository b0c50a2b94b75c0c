import { eventRoutes } from '@messngr/contracts';
import { defineSubgraph } from '@messngr/kit/subgraph';
import { parseAuditConfig } from './config';
import { createAuditDependencies } from './dependencies';
import { auditEntryHandler } from './events/audit-entry-handler';
import { createResolvers } from './resolvers';

/**
 * The append-only activity log: it consumes every producer's events and publishes none. A
 * type it does not know yet is parked, to be replayed once it does. A sweep deletes entries
 * past their tenant's retention; nothing else deletes or changes one.
 */
export const auditSubgraph = defineSubgraph({
  name: 'audit',
  parseConfig: parseAuditConfig,
  dependencies: createAuditDependencies,
  resolvers: createResolvers,
  consumes: (deps) => eventRoutes('audit', auditEntryHandler(deps), { unknownTypes: 'dead-letter' }),
  workers: (deps) => [deps.retentionSweep],
});
