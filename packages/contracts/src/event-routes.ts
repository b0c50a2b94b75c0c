import type { EventEnvelope } from './envelope';
import {
  EventContractViolation,
  consumedBy,
  isEventType,
  parseEventData,
  topicsConsumedBy,
  type HandlersOf,
} from './event-catalogue';
import { deadLetterTopic, replayTopic, type ConsumerService } from './topics';

/** What a consumer group reads and how each envelope reaches its handler. */
export interface EventRoutes {
  consumer: ConsumerService;
  /** The producers' topics of every consumed type, and the consumer's own replay topic. */
  topics: string[];
  deadLetterTopic: string;
  /**
   * The work for one envelope, or undefined when this consumer has nothing to do with it.
   * Throws EventContractViolation when a consumed type's data fails its contract (or, with
   * `unknownTypes: 'dead-letter'`, when the type is not in the catalogue at all).
   */
  route(envelope: EventEnvelope): (() => Promise<void>) | undefined;
}

// Method syntax keeps the parameter bivariant, so the table of typed handlers reads as one of envelopes.
type AnyHandler = { handle(event: EventEnvelope): Promise<void> }['handle'];

export interface EventRoutesOptions {
  /** A type the catalogue does not know: skip it (default), or park it until this consumer learns it. */
  unknownTypes?: 'skip' | 'dead-letter';
}

export function eventRoutes<Service extends ConsumerService>(
  consumer: Service,
  handlers: HandlersOf<Service>,
  options: EventRoutesOptions = {},
): EventRoutes {
  const table: Partial<Record<string, AnyHandler>> = handlers;
  return {
    consumer,
    topics: [...topicsConsumedBy(consumer), replayTopic(consumer)],
    deadLetterTopic: deadLetterTopic(consumer),
    route(envelope) {
      if (!isEventType(envelope.type)) {
        if (options.unknownTypes === 'dead-letter') throw new EventContractViolation(`unknown event type ${envelope.type}`);
        return undefined;
      }
      const handler = table[envelope.type];
      if (!handler) return undefined;
      const event = parseEventData({ ...envelope, type: envelope.type });
      return () => handler(event);
    },
  };
}

/**
 * One handler for every type `consumer` consumes, for consumers that treat all events alike
 * (the audit log records each one as it is).
 */
export function sameHandlerForEach<Service extends ConsumerService>(
  consumer: Service,
  handler: (event: EventEnvelope) => Promise<void>,
): HandlersOf<Service> {
  const table: Record<string, AnyHandler> = Object.fromEntries(consumedBy(consumer).map((contract) => [contract.type, handler]));
  // Each entry accepts any envelope, so it accepts each type's event in particular.
  return table as HandlersOf<Service>;
}
