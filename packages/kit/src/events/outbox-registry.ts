import type { OutboxSource } from './outbox-source';

/**
 * Where a service's stores announce their outboxes: every store built with it is relayed,
 * so a store whose events would never be published cannot be forgotten; and each write that
 * adds events nudges the relay instead of waiting for its poll.
 */
export interface OutboxRegistry {
  register(source: OutboxSource): void;
  nudge(): void;
}

export class CollectedOutboxes implements OutboxRegistry {
  readonly #sources: OutboxSource[] = [];
  #onNudge: () => void = () => undefined;

  register(source: OutboxSource): void {
    this.#sources.push(source);
  }

  nudge(): void {
    this.#onNudge();
  }

  get sources(): readonly OutboxSource[] {
    return this.#sources;
  }

  /** The relay, once it exists, is what a nudge wakes. */
  onNudge(listener: () => void): void {
    this.#onNudge = listener;
  }
}

/** For tools that write without a relay (the operator CLI): events stay in the outbox for the service's relay. */
export const UNRELAYED_OUTBOXES: OutboxRegistry = { register: () => undefined, nudge: () => undefined };
