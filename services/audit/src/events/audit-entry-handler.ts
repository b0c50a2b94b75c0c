import { sameHandlerForEach, type HandlersOf } from '@messngr/contracts';
import type { Clock } from '@messngr/kit/core';
import type { AuditEntryRepository } from '../persistence/audit-entry.repository';
import { auditEntryFromEvent } from './audit-entry-from-event';

/** Records every event once, keyed by its id: a redelivered event is a no-op. */
export function auditEntryHandler(deps: { entries: Pick<AuditEntryRepository, 'record'>; clock: Clock }): HandlersOf<'audit'> {
  return sameHandlerForEach('audit', async (event) => {
    await deps.entries.record(auditEntryFromEvent(event, deps.clock.now()));
  });
}
