import type { Clock, EventEnvelope } from '@messngr/kit';
import type { AuditEntryRepository } from '../persistence/audit-entry.repository';

/** Records every event once; a redelivered event is a no-op. */
export function auditRecorder(entries: AuditEntryRepository, clock: Clock) {
  return async (event: EventEnvelope<unknown>): Promise<void> => {
    const occurredAt = new Date(event.time);
    if (Number.isNaN(occurredAt.getTime())) throw new Error(`event ${event.id} has an unreadable time`);
    await entries.record({
      _id: event.id,
      tenantId: event.tenantid,
      accountId: event.accountid ?? null,
      type: event.type,
      source: event.source,
      subject: event.subject,
      actorId: event.actorid ?? null,
      actorType: event.actortype ?? null,
      occurredAt,
      recordedAt: clock.now(),
      data: typeof event.data === 'object' && event.data !== null ? (event.data as Record<string, unknown>) : {},
    });
  };
}
