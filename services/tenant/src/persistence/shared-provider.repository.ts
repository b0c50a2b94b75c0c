import type { OutboxRegistry } from '@messngr/kit/events';
import type { Model } from 'mongoose';
import type { EventEnvelope } from '@messngr/contracts';
import { AggregateStore, isDuplicateKeyError, type Decision, type NewAggregate } from '@messngr/kit/mongo';
import type { SharedProviderDocument } from './shared-provider.model';

const NOT_REMOVED = { removed: { $ne: true } };

/** Shared definitions belong to the platform, not to a tenant; removed ones are kept, marked. */
export class SharedProviderRepository extends AggregateStore<SharedProviderDocument> {
  constructor(model: Model<SharedProviderDocument>, outboxes: OutboxRegistry) {
    super(model, { outboxes });
  }

  override findById(id: string): Promise<SharedProviderDocument | null> {
    return this.findOne({ _id: id, ...NOT_REMOVED });
  }

  list(): Promise<SharedProviderDocument[]> {
    return this.find(NOT_REMOVED, { sort: { _id: 1 }, limit: 500 });
  }

  override change(id: string, decide: (definition: SharedProviderDocument) => Decision<SharedProviderDocument>) {
    return super.change(id, decide, NOT_REMOVED);
  }

  /**
   * Inserts a definition with its events unless one with its `_id` exists (removed ones too):
   * the `_id` is the claim, so of writers racing for it exactly one inserts. True when this one did.
   */
  async insertIfAbsent(definition: NewAggregate<SharedProviderDocument>, events: EventEnvelope[]): Promise<boolean> {
    try {
      await this.insert(definition, events);
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** Marked, not deleted: the removal event travels in the document's outbox like every other. */
  async remove(id: string, events: EventEnvelope[]): Promise<boolean> {
    const changed = await this.change(id, () => ({ changes: { removed: true }, events }));
    return changed !== undefined;
  }
}
