import { z } from 'zod';

/** `<service>.<aggregate>.<past-tense verb>`, e.g. `identity.identity.linked`. */
export const EVENT_TYPE_PATTERN = /^[a-z]+\.[a-z_]+\.[a-z_]+$/;

/**
 * `account`: the account itself; `tenant_admin`: an administrator of the account's tenant;
 * `operator`: support staff (a tenant's support agent, platform support, an operator tool);
 * `system`: the system on its own (a sweep, a scheduled rotation).
 */
export const ACTOR_TYPES = ['account', 'tenant_admin', 'operator', 'system'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/**
 * A lifecycle event in CloudEvents 1.0 attribute names (structured JSON mode). Extension
 * attributes: `partitionkey` (the Kafka key, CloudEvents partitioning extension),
 * `sequence` (the order of events of one aggregate, CloudEvents sequence extension: an
 * integer as a string), `tenantid`, `accountid`, `actorid`, `actortype`, `clientip`,
 * `useragent`, `correlationid`, `actorreason`. Unknown extension attributes are kept, as CloudEvents asks.
 */
const envelopeShape = {
  specversion: z.literal('1.0'),
  id: z.string().min(1).max(100).describe('Unique event id (`evt_...`, time-ordered): the deduplication key.'),
  source: z.string().min(1).max(200).describe('`/messngr/<service>`: the producing service.'),
  type: z.string().regex(EVENT_TYPE_PATTERN).describe('`<service>.<aggregate>.<past-tense verb>`.'),
  subject: z.string().min(1).max(200).describe('Id of the aggregate the event is about.'),
  time: z.iso.datetime({ offset: true }).describe('When the change happened.'),
  datacontenttype: z.literal('application/json'),
  dataschema: z.string().min(1).max(300).describe('The versioned schema of `data`.'),
  partitionkey: z
    .string()
    .min(1)
    .max(200)
    .describe('The Kafka key: the aggregate id, or the account for events keyed by account.'),
  tenantid: z
    .string()
    .min(1)
    .max(100)
    .describe('The tenant the event belongs to (the platform tenant for platform-wide records).'),
  sequence: z
    .string()
    .regex(/^\d{1,18}$/)
    .optional()
    .describe(
      "The event's place in its aggregate's history, an integer as a string: keep a copy of an aggregate by applying only events newer than the copy.",
    ),
  accountid: z.string().min(1).max(100).optional().describe('The account the event concerns, when there is one.'),
  actorid: z.string().min(1).max(100).optional().describe('Who caused the change (an account or operator id).'),
  actortype: z.enum(ACTOR_TYPES).optional(),
  actorreason: z
    .string()
    .max(500)
    .optional()
    .describe("Why, in the actor's words, when support staff or an administrator changed someone else's account."),
  clientip: z.string().max(100).optional().describe("The client's IP address, when the change came from a request."),
  useragent: z.string().max(1000).optional().describe("The client's user agent, when known."),
  correlationid: z.string().max(128).optional().describe('The correlation id of the request that caused the change.'),
  data: z.unknown(),
};

export const envelopeSchema = z.looseObject(envelopeShape);

/** The envelope's named attributes (extension attributes beyond them travel along untyped). */
export type EventEnvelope<Data = unknown> = Omit<z.infer<z.ZodObject<typeof envelopeShape>>, 'data'> & { data: Data };
