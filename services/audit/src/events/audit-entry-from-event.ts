import type { EventEnvelope } from '@messngr/contracts';
import { asTenantId } from '@messngr/kit/core';
import { PermanentEventError } from '@messngr/kit/events';
import type { AuditEntryDocument } from '../persistence/audit-entry.model';

/**
 * The entry an event becomes. The consumer has parsed the envelope and its data by their
 * contracts already; an event whose time is not a real instant is refused (and parked).
 */
export function auditEntryFromEvent(event: EventEnvelope<unknown>, recordedAt: Date): AuditEntryDocument {
  const time = new Date(event.time);
  if (Number.isNaN(time.getTime())) throw new PermanentEventError(`event ${event.id} has an unreadable time`);
  return {
    _id: event.id,
    tenantId: asTenantId(event.tenantid),
    accountId: stringOrNull(event.accountid),
    type: event.type,
    source: stringOrNull(event.source) ?? 'unknown',
    subject: event.subject,
    actorId: stringOrNull(event.actorid),
    actorType: event.actortype ?? null,
    actorReason: stringOrNull(event.actorreason),
    clientIp: stringOrNull(event.clientip),
    userAgent: stringOrNull(event.useragent),
    correlationId: stringOrNull(event.correlationid),
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
