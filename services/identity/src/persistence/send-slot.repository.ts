import type { Model } from 'mongoose';
import type { TenantId } from '@messngr/kit/core';
import { TenantScopedRecords } from '@messngr/kit/mongo';
import type { SendSlotDocument } from './send-slot.model';

interface SlotWindow {
  id: string;
  endsAt: Date;
}

/**
 * Send limits that hold under concurrency on FerretDB and MongoDB alike: each send takes a
 * numbered slot of its scope and window by inserting it under a unique `_id`
 * (`<scope>:<window>:<n>`); when slot `limit` is taken, the scope is full. (A counter with
 * `$inc` would lose updates on FerretDB under concurrency.)
 *
 * Slots fill from 1 without gaps (a send takes the lowest free one it finds, moving up past
 * taken ones), so nothing is ever counted: "full" is one lookup of slot `limit` by `_id`,
 * and the lowest free slot is found by a galloping search over `_id` lookups, then remembered per
 * scope, so a busy scope costs one insert per send. (Counting a scope's slots scanned them:
 * slower with every send the tenant ever made.)
 */
export class SendSlotRepository extends TenantScopedRecords<SendSlotDocument> {
  readonly #lowestFree = new Map<string, number>();

  constructor(model: Model<SendSlotDocument>) {
    super(model);
  }

  /** Whether every slot of `scope` in `window` is taken. */
  async isFull(tenantId: TenantId, scope: string, window: SlotWindow, limit: number): Promise<boolean> {
    return (await this.findById(tenantId, slotId(scope, window, limit))) !== null;
  }

  /** Takes the lowest free slot of `scope` in `window`; false when all `limit` are taken. */
  async take(tenantId: TenantId, scope: string, window: SlotWindow, limit: number): Promise<boolean> {
    const key = `${scope}:${window.id}`;
    let slot = this.#lowestFree.get(key) ?? (await this.lowestFree(tenantId, scope, window, limit));
    for (; slot <= limit; slot += 1) {
      if (await this.insertIfAbsent({ _id: slotId(scope, window, slot), tenantId, expiresAt: window.endsAt })) {
        this.remember(key, slot + 1);
        return true;
      }
    }
    this.remember(key, slot);
    return false;
  }

  /** Removes the slots of windows that have ended, across tenants; how many went. */
  sweepEnded(now: Date): Promise<number> {
    return this.deleteExpiredAcrossTenants('expiresAt', now);
  }

  /**
   * The lowest free slot, taken slots being 1..k without gaps: probes 1, 2, 4, … until one is
   * free, then halves the last interval. A fresh scope (the usual case for an address) costs
   * one lookup; k taken slots about 2·log2(k).
   */
  private async lowestFree(tenantId: TenantId, scope: string, window: SlotWindow, limit: number): Promise<number> {
    const taken = async (slot: number) => (await this.findById(tenantId, slotId(scope, window, slot))) !== null;
    let low = 1;
    let high = 1;
    while (high <= limit && (await taken(high))) {
      low = high + 1;
      high *= 2;
    }
    high = Math.min(high, limit + 1);
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      if (await taken(middle)) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private remember(key: string, lowestFree: number): void {
    // Bounded: one entry per busy scope and hour; the oldest go first.
    if (this.#lowestFree.size >= 10_000) this.#lowestFree.delete(this.#lowestFree.keys().next().value!);
    this.#lowestFree.set(key, lowestFree);
  }
}

function slotId(scope: string, window: SlotWindow, slot: number): string {
  return `${scope}:${window.id}:${String(slot).padStart(5, '0')}`;
}
