import type { z } from 'zod';
import { EVENT_TYPE_PATTERN } from './envelope';
import type { ConsumerService, ProducerService } from './topics';

/**
 * One event type: its name, who publishes it, its payload schema (the one the producer
 * builds with and every consumer parses with) and who consumes it. The AsyncAPI catalogue
 * and each consumer's handler table are derived from these declarations.
 */
export interface EventContract<Type extends string = string, Schema extends z.ZodType = z.ZodType> {
  type: Type;
  producer: ProducerService;
  /** The version of `data`'s schema, in `dataschema`. */
  version: number;
  summary: string;
  /** The Kafka key: the aggregate id (`subject`), or the account it concerns so one account's events stay in order. */
  key: 'subject' | 'account';
  data: Schema;
  consumers: readonly ConsumerService[];
}

export function defineEvent<const Type extends string, Schema extends z.ZodType, const Consumers extends readonly ConsumerService[]>(
  contract: Omit<EventContract<Type, Schema>, 'consumers'> & { consumers: Consumers },
): EventContract<Type, Schema> & { consumers: Consumers } {
  if (!EVENT_TYPE_PATTERN.test(contract.type) || !contract.type.startsWith(`${contract.producer}.`)) {
    throw new Error(`event type "${contract.type}" must read ${contract.producer}.<aggregate>.<past-tense verb>`);
  }
  return contract;
}

export function dataSchemaUrl(contract: Pick<EventContract, 'type' | 'version'>): string {
  return `https://schemas.messngr.dev/events/${contract.type}/v${contract.version}.json`;
}
