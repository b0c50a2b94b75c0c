import type { EventEnvelope } from '@messngr/contracts';

/** One document's unpublished events, as the relay read them. */
export interface PendingOutbox {
  id: string;
  version: number;
  events: EventEnvelope[];
  since: Date | null;
}

/** A collection of aggregates with outboxes, as the relay sees it (the stores in `@messngr/kit/mongo` provide one). */
export interface OutboxSource {
  /** For logs and metrics: the collection's name. */
  name: string;
  /** Pending documents oldest first, leaving out those in `skip` (backing off after a failure). */
  pending(limit: number, skip: ReadonlySet<string>): Promise<PendingOutbox[]>;
  /** Removes exactly these events from the document, keeping any written meanwhile; false when it could not (yet). */
  removePublished(published: PendingOutbox): Promise<boolean>;
  /** When the oldest pending event still waiting was written, or null when nothing waits. */
  oldestPendingSince(): Promise<Date | null>;
}
