import type { Clock, EventHandler } from '@messngr/kit';
import type { AuditEntryRepository } from '../persistence/audit-entry.repository';
import { auditEntryFromEvent } from './audit-entry-from-event';

/** Records every event once, keyed by its id: a redelivered event is a no-op. */
export function auditRecorder(entries: Pick<AuditEntryRepository, 'record'>, clock: Clock): EventHandler {
  return async (event) => {
    await entries.record(auditEntryFromEvent(event, clock.now()));
  };
}
