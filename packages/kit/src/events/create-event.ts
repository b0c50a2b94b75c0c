import { newId } from './ids';
import { currentRequestContext } from './request-context';

/**
 * A lifecycle event in CloudEvents 1.0 attribute names (structured JSON mode).
 * `partitionkey` (the CloudEvents partitioning extension) is the aggregate id and the
 * Kafka message key, so one aggregate's events stay in order.
 */
export interface EventEnvelope<Data = Record<string, unknown>> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  dataschema: string;
  partitionkey: string;
  tenantid: string;
  accountid?: string;
  actorid?: string;
  actortype?: 'account' | 'operator' | 'system';
  clientip?: string;
  useragent?: string;
  correlationid?: string;
  data: Data;
}

export interface NewEvent<Data> {
  service: string;
  type: string;
  subject: string;
  tenantId: string;
  data: Data;
  partitionKey?: string;
  accountId?: string;
  actor?: { id?: string; type: 'account' | 'operator' | 'system' };
  clientIp?: string;
  userAgent?: string;
  time: Date;
  schemaVersion?: number;
}

const EVENT_TYPE = /^[a-z]+\.[a-z_]+\.[a-z_]+$/;

export function createEvent<Data>(event: NewEvent<Data>): EventEnvelope<Data> {
  if (!EVENT_TYPE.test(event.type) || !event.type.startsWith(`${event.service}.`)) {
    throw new Error(`event type "${event.type}" must read <service>.<aggregate>.<past-tense verb>`);
  }
  const correlationId = currentRequestContext()?.correlationId;
  return {
    specversion: '1.0',
    id: newId('evt', event.time.getTime()),
    source: `/messngr/${event.service}`,
    type: event.type,
    subject: event.subject,
    time: event.time.toISOString(),
    datacontenttype: 'application/json',
    dataschema: `https://schemas.messngr.dev/events/${event.type}/v${event.schemaVersion ?? 1}.json`,
    partitionkey: event.partitionKey ?? event.subject,
    tenantid: event.tenantId,
    ...(event.accountId ? { accountid: event.accountId } : {}),
    ...(event.actor?.id ? { actorid: event.actor.id } : {}),
    ...(event.actor ? { actortype: event.actor.type } : {}),
    ...(event.clientIp ? { clientip: event.clientIp } : {}),
    ...(event.userAgent ? { useragent: event.userAgent } : {}),
    ...(correlationId ? { correlationid: correlationId } : {}),
    data: event.data,
  };
}

export function isEventEnvelope(value: unknown): value is EventEnvelope<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    candidate['specversion'] === '1.0' &&
    typeof candidate['id'] === 'string' &&
    typeof candidate['type'] === 'string' &&
    typeof candidate['subject'] === 'string' &&
    typeof candidate['tenantid'] === 'string' &&
    typeof candidate['time'] === 'string'
  );
}
