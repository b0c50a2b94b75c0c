import type { EventEnvelope } from '@messngr/kit';
import type { AuditActorKind, AuditEntryDocument } from '../persistence/audit-entry.model';

const ACTOR_KINDS: readonly string[] = ['account', 'operator', 'system'] satisfies AuditActorKind[];

/**
 * The entry an event becomes. Envelopes arrive as parsed JSON from any producer, so
 * optional attributes are kept only when they have the expected shape; an event without
 * a readable time is refused (the consumer retries, then parks it on the dead-letter topic).
 */
export function auditEntryFromEvent(event: EventEnvelope<unknown>, recordedAt: Date): AuditEntryDocument {
  const time = new Date(event.time);
  if (Number.isNaN(time.getTime())) throw new Error(`event ${event.id} has an unreadable time`);
  return {
    _id: event.id,
    tenantId: event.tenantid,
    accountId: stringOrNull(event.accountid),
    type: event.type,
    source: stringOrNull(event.source) ?? 'unknown',
    subject: event.subject,
    actorId: stringOrNull(event.actorid),
    actorType: ACTOR_KINDS.includes(event.actortype as string) ? (event.actortype as AuditActorKind) : null,
    time,
    recordedAt,
    data: isPlainObject(event.data) ? event.data : {},
  };
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
