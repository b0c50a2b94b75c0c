import type { EventEnvelope } from '@messngr/contracts';
import { PermanentEventError } from './failure-kind';

/**
 * An event's place in its aggregate's history (CloudEvents `sequence`, stamped by the
 * outbox). Consumers keeping a copy of the aggregate apply an event only when it is newer
 * than the copy; an event without one cannot be placed and is refused.
 */
export function sequenceOf(event: Pick<EventEnvelope, 'id' | 'sequence'>): number {
  if (event.sequence === undefined) throw new PermanentEventError(`event ${event.id} has no sequence`);
  return Number(event.sequence);
}
