import type { Model } from 'mongoose';
import type { EventEnvelope } from './envelope';
import { conditionalWrite } from './conditional-write';
import { ConflictError } from './errors';

/**
 * Fields every aggregate document carries: an optimistic `version` guarding each write,
 * and its transactional outbox (events written in the same single-document update as
 * the change, published later by the OutboxRelay).
 */
export interface AggregateFields {
  _id: string;
  version: number;
  pendingEvents: EventEnvelope<unknown>[];
  outboxPending: boolean;
}

export const aggregateSchemaFields = {
  _id: { type: String, required: true },
  version: { type: Number, required: true },
  pendingEvents: { type: [Object], default: () => [] },
  outboxPending: { type: Boolean, required: true, index: true },
};

export type NewAggregate<T extends AggregateFields> = Omit<T, 'version' | 'pendingEvents' | 'outboxPending'>;

export async function insertAggregate<T extends AggregateFields>(
  model: Model<T>,
  document: NewAggregate<T>,
  events: EventEnvelope<unknown>[],
): Promise<T> {
  const stored = { ...document, version: 1, pendingEvents: events, outboxPending: events.length > 0 };
  await model.collection.insertOne(stored as never);
  return stored as unknown as T;
}

/**
 * One conditional write: applies `changes` and appends `events` only if nobody wrote
 * since `current` was read. Returns the new document, or undefined on a lost race
 * (the caller re-reads and decides again).
 */
export async function updateAggregate<T extends AggregateFields>(
  model: Model<T>,
  current: T,
  changes: Partial<Omit<T, keyof AggregateFields>>,
  events: EventEnvelope<unknown>[],
): Promise<T | undefined> {
  const pendingEvents = [...current.pendingEvents, ...events];
  const applied = await conditionalWrite(model as unknown as Model<never>, current._id, current.version, {
    $set: { ...changes, pendingEvents, outboxPending: pendingEvents.length > 0 },
    $inc: { version: 1 },
  });
  if (!applied) return undefined;
  return { ...current, ...changes, pendingEvents, outboxPending: pendingEvents.length > 0, version: current.version + 1 };
}

/** Read, decide, write; on a lost race read again. `decide` returns undefined for "no change". */
export async function changeAggregate<T extends AggregateFields>(
  read: () => Promise<T | undefined>,
  model: Model<T>,
  decide: (current: T) => { changes: Partial<Omit<T, keyof AggregateFields>>; events: EventEnvelope<unknown>[] } | undefined,
  maxAttempts = 20,
): Promise<T | undefined> {
  for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * Math.min(attempt, 10)));
    const current = await read();
    if (!current) return undefined;
    const decision = decide(current);
    if (!decision) return current;
    const written = await updateAggregate(model, current, decision.changes, decision.events);
    if (written) return written;
  }
  throw new ConflictError('CONCURRENT_MODIFICATION', 'The record is being changed by someone else; try again.');
}
