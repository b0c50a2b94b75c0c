import type { Schema } from 'mongoose';
import type { EventEnvelope } from '@messngr/contracts';

/**
 * Fields every aggregate document carries: an optimistic `version` guarding each write,
 * and its transactional outbox (events written in the same single-document update as the
 * change, published later by the OutboxRelay). `outboxSince` is when the oldest pending
 * event was written: the relay serves documents in that order.
 */
export interface AggregateFields {
  _id: string;
  version: number;
  pendingEvents: EventEnvelope[];
  outboxPending: boolean;
  outboxSince: Date | null;
}

export const aggregateSchemaFields = {
  _id: { type: String, required: true },
  version: { type: Number, required: true },
  pendingEvents: { type: [Object], default: () => [] },
  outboxPending: { type: Boolean, required: true },
  outboxSince: { type: Date, default: null },
};

/** The relay's query: pending documents, oldest first. */
export function addOutboxIndex(schema: Schema): void {
  schema.index({ outboxPending: 1, outboxSince: 1 });
}

export type NewAggregate<T extends AggregateFields> = Omit<T, keyof AggregateFields> & { _id: T['_id'] };
export type AggregateChanges<T extends AggregateFields> = Partial<Omit<T, keyof AggregateFields>>;

/** What `decide` returns: the changes and the events they cause, or undefined for "no change". */
export type Decision<T extends AggregateFields> = { changes: AggregateChanges<T>; events: EventEnvelope[] } | undefined;

/**
 * Each event is stamped with its place in the aggregate's history (CloudEvents `sequence`):
 * the version its write creates, times 1000, plus its index in that write. Consumers keeping
 * a copy of the aggregate apply an event only when it is newer than what they hold.
 */
export function withSequence(events: EventEnvelope[], version: number): EventEnvelope[] {
  return events.map((event, index) => ({ ...event, sequence: String(version * 1000 + index) }));
}

export function outboxFields(pendingEvents: EventEnvelope[], since: Date | null, now: Date) {
  const pending = pendingEvents.length > 0;
  return { pendingEvents, outboxPending: pending, outboxSince: pending ? (since ?? now) : null };
}

/**
 * The version an aggregate is at once the outbox relay has published its pending events
 * (it removes them in one write): where the next writer usually finds it.
 */
export function settledVersion(aggregate: Pick<AggregateFields, 'version' | 'pendingEvents'>): number {
  return aggregate.pendingEvents.length > 0 ? aggregate.version + 1 : aggregate.version;
}
