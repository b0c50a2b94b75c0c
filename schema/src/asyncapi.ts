import { stringify } from 'yaml';
import { z } from 'zod';
import {
  CONSUMER_SERVICES,
  dataSchemaUrl,
  DEAD_LETTER_TOPIC_PATTERN,
  envelopeSchema,
  EVENT_CONTRACTS,
  PRODUCER_TOPICS,
  REPLAY_TOPIC_PATTERN,
  type EventContract,
  type ProducerService,
} from '@messngr/contracts';
import { join } from 'node:path';
import { REPO_ROOT } from './compose';

export const ASYNCAPI_PATH = join(REPO_ROOT, 'schema', 'events', 'asyncapi.yaml');

const PRODUCERS = Object.keys(PRODUCER_TOPICS) as ProducerService[];

/** JSON Schema (draft 7, as AsyncAPI schemas are) of a zod schema as producers write it. */
function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const generated: Record<string, unknown> = z.toJSONSchema(schema, {
    io: 'input',
    target: 'draft-7',
    // The long date-time regex adds nothing to `format: date-time` for a reader.
    override: ({ jsonSchema }) => {
      if (jsonSchema.format === 'date-time') delete jsonSchema.pattern;
    },
  });
  delete generated['$schema'];
  return generated;
}

const channelOf = (producer: ProducerService) => `${producer}Events`;
const ref = (path: string) => ({ $ref: `#/${path}` });

function message(contract: EventContract) {
  return {
    name: contract.type,
    title: contract.type,
    summary: contract.summary,
    contentType: 'application/cloudevents+json',
    'x-consumers': [...contract.consumers],
    payload: {
      allOf: [
        ref('components/schemas/envelope'),
        {
          type: 'object',
          required: ['type', 'data'],
          properties: {
            type: { const: contract.type },
            dataschema: { const: dataSchemaUrl(contract) },
            partitionkey: {
              description: contract.key === 'account' ? 'The account id (`accountid`).' : 'The aggregate id (`subject`).',
            },
            data: jsonSchema(contract.data),
          },
        },
      ],
    },
  };
}

/**
 * The AsyncAPI 3.0 catalogue for outside consumers, generated from the contracts: one
 * message per event type, a send operation per producer, a receive operation per consumer
 * naming exactly the messages it consumes. `npm run compose` writes it; a test keeps it current.
 */
export function renderAsyncApi(): string {
  const messageRefs = (contracts: readonly EventContract[]) =>
    Object.fromEntries(contracts.map((contract) => [contract.type, ref(`components/messages/${contract.type}`)]));
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const producer of PRODUCERS) {
    const published = EVENT_CONTRACTS.filter((contract) => contract.producer === producer);
    channels[channelOf(producer)] = {
      address: PRODUCER_TOPICS[producer].name,
      description: `Produced by ${producer === 'messaging' ? 'the messaging backend that terminates device connections' : `the ${producer} subgraph`} (${PRODUCER_TOPICS[producer].partitions} partitions).`,
      messages: messageRefs(published),
    };
    operations[`${producer}Publishes`] = {
      action: 'send',
      channel: ref(`channels/${channelOf(producer)}`),
      messages: published.map((contract) => ref(`channels/${channelOf(producer)}/messages/${contract.type}`)),
    };
  }
  for (const consumer of CONSUMER_SERVICES) {
    for (const producer of PRODUCERS) {
      const consumed = EVENT_CONTRACTS.filter(
        (contract) => contract.producer === producer && (contract.consumers as readonly string[]).includes(consumer),
      );
      if (consumed.length === 0) continue;
      operations[`${consumer}Receives${producer[0]!.toUpperCase()}${producer.slice(1)}Events`] = {
        action: 'receive',
        channel: ref(`channels/${channelOf(producer)}`),
        summary: `The ${consumer} subgraph consumes these.`,
        messages: consumed.map((contract) => ref(`channels/${channelOf(producer)}/messages/${contract.type}`)),
      };
    }
  }
  channels['deadLetters'] = {
    address: DEAD_LETTER_TOPIC_PATTERN,
    description:
      'Events a consumer parked because they can never succeed as they are (unreadable, failing their contract, refused by a rule) or failed every retry. Headers: `dlt-original-topic`, `dlt-original-partition`, `dlt-original-offset`, `dlt-consumer-group`, `dlt-kind` (contract, refused, exhausted), `dlt-error`, `dlt-parked-at`. `npm run cli -- dead-letters list|replay <service>` reads and replays them.',
    parameters: { service: { enum: [...CONSUMER_SERVICES] } },
  };
  channels['replays'] = {
    address: REPLAY_TOPIC_PATTERN,
    description:
      'Parked events handed back to one consumer by `npm run cli -- dead-letters replay <service>`; only that consumer reads it.',
    parameters: { service: { enum: [...CONSUMER_SERVICES] } },
  };
  const document = {
    asyncapi: '3.0.0',
    info: {
      title: 'messngr-idp lifecycle events',
      version: '1.0.0',
      description: [
        'Lifecycle events of the Messngr identity backend, for audit and other consumers.',
        'Every message is a CloudEvents 1.0 envelope in structured JSON mode (`content-type: application/cloudevents+json`),',
        'keyed by `partitionkey`, so one aggregate’s (or account’s) events stay in order within a partition.',
        'Delivery is at least once: deduplicate by `id`; to keep a copy of an aggregate, apply an event only when its',
        '`sequence` is greater than the copy’s. Headers: `ce_id`, `ce_type`, `x-correlation-id` (when the change came',
        'from a request). Generated from packages/contracts by `npm run compose`: do not edit.',
      ].join('\n'),
    },
    defaultContentType: 'application/cloudevents+json',
    channels,
    operations,
    components: {
      schemas: { envelope: jsonSchema(envelopeSchema) },
      messages: Object.fromEntries(EVENT_CONTRACTS.map((contract) => [contract.type, message(contract)])),
    },
  };
  return `# Generated from packages/contracts by \`npm run compose\`: do not edit.\n${stringify(document, { lineWidth: 0 })}`;
}
