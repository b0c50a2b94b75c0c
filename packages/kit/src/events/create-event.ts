import { z } from 'zod';
import { dataSchemaUrl, type ActorType, type EventContract, type EventEnvelope } from '@messngr/contracts';
import { newId } from '../core/ids';
import type { TenantId } from '../core/tenant-id';
import { currentRequestContext } from '../logging/request-context';
import { traceHeadersOf, TRACEPARENT_HEADER } from '../tracing/trace-context';

/** Who caused a change, as an event's envelope records it (`actorid`, `actortype`, `actorreason`, `clientip`, `useragent`). */
export interface EventActor {
  id?: string;
  type: ActorType;
  /** Why, in the words of support staff or an administrator acting on someone else's account. */
  reason?: string;
  clientIp?: string | null;
  userAgent?: string | null;
}

/** The `actor`, `clientIp` and `userAgent` fields of a `NewEvent` for `actor`, leaving out what is unknown. */
export function actorFields(actor: EventActor): Pick<NewEvent<z.ZodType>, 'actor' | 'clientIp' | 'userAgent'> {
  return {
    actor: { ...(actor.id ? { id: actor.id } : {}), type: actor.type, ...(actor.reason ? { reason: actor.reason } : {}) },
    ...(actor.clientIp ? { clientIp: actor.clientIp } : {}),
    ...(actor.userAgent ? { userAgent: actor.userAgent } : {}),
  };
}

export interface NewEvent<Schema extends z.ZodType> {
  /** The aggregate the event is about. */
  subject: string;
  tenantId: TenantId;
  accountId?: string;
  actor?: { id?: string; type: ActorType; reason?: string };
  clientIp?: string;
  userAgent?: string;
  time: Date;
  data: z.input<Schema>;
}

/**
 * Builds the envelope of an event through its contract: `data` is parsed by the contract's
 * schema (a producer cannot publish what its consumers would refuse), the Kafka key follows
 * the contract, and the correlation id of the request being served is carried along, with
 * its W3C `traceparent` when it is traced (CloudEvents distributed tracing extension): the
 * outbox keeps it until the relay publishes the event as part of the same trace.
 */
export function createEvent<Type extends string, Schema extends z.ZodType>(
  contract: EventContract<Type, Schema>,
  event: NewEvent<Schema>,
): EventEnvelope<z.output<Schema>> & { type: Type } {
  const data = z.parse(contract.data, event.data);
  const partitionKey = contract.key === 'account' ? event.accountId : event.subject;
  if (!partitionKey) throw new Error(`${contract.type} is keyed by account: accountId is required`);
  const correlationId = currentRequestContext()?.correlationId;
  const traceparent = traceHeadersOf()[TRACEPARENT_HEADER];
  return {
    specversion: '1.0',
    id: newId('evt', event.time.getTime()),
    source: `/messngr/${contract.producer}`,
    type: contract.type,
    subject: event.subject,
    time: event.time.toISOString(),
    datacontenttype: 'application/json',
    dataschema: dataSchemaUrl(contract),
    partitionkey: partitionKey,
    tenantid: event.tenantId,
    ...(event.accountId ? { accountid: event.accountId } : {}),
    ...(event.actor?.id ? { actorid: event.actor.id } : {}),
    ...(event.actor ? { actortype: event.actor.type } : {}),
    ...(event.actor?.reason ? { actorreason: event.actor.reason } : {}),
    ...(event.clientIp ? { clientip: event.clientIp } : {}),
    ...(event.userAgent ? { useragent: event.userAgent } : {}),
    ...(correlationId ? { correlationid: correlationId } : {}),
    // An extension attribute beyond the named ones: envelopes keep unknown extensions.
    ...((traceparent ? { [TRACEPARENT_HEADER]: traceparent } : {}) as object),
    data,
  };
}
