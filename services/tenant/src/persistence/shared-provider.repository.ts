import type { Model } from 'mongoose';
import { changeAggregate, insertAggregate, type AggregateFields, type EventEnvelope, type NewAggregate } from '@messngr/kit';
import type { SharedProviderDocument } from './shared-provider.model';

export class SharedProviderRepository {
  constructor(
    readonly model: Model<SharedProviderDocument>,
    private readonly afterWrite: () => void,
  ) {}

  findById(id: string): Promise<SharedProviderDocument | null> {
    return this.model
      .findOne({ _id: id, removed: { $ne: true } })
      .lean<SharedProviderDocument>()
      .exec();
  }

  list(): Promise<SharedProviderDocument[]> {
    return this.model
      .find({ removed: { $ne: true } })
      .sort({ _id: 1 })
      .limit(500)
      .lean<SharedProviderDocument[]>()
      .exec();
  }

  async insert(
    definition: NewAggregate<SharedProviderDocument>,
    events: EventEnvelope<unknown>[],
  ): Promise<SharedProviderDocument> {
    const stored = await insertAggregate(this.model, definition, events);
    this.afterWrite();
    return stored;
  }

  async change(
    id: string,
    decide: (
      definition: SharedProviderDocument,
    ) => { changes: Partial<Omit<SharedProviderDocument, keyof AggregateFields>>; events: EventEnvelope<unknown>[] } | undefined,
  ): Promise<SharedProviderDocument | undefined> {
    const changed = await changeAggregate(() => this.findById(id).then((d) => d ?? undefined), this.model, decide);
    this.afterWrite();
    return changed;
  }

  async remove(id: string, events: EventEnvelope<unknown>[]): Promise<boolean> {
    // Marked, not deleted: the removal event travels in the document's outbox like every other.
    const changed = await this.change(id, () => ({ changes: { removed: true } as never, events }));
    return changed !== undefined;
  }
}
