import type { Model } from 'mongoose';
import type { OutboxRegistry } from '@messngr/kit/events';
import { AggregateStore } from '@messngr/kit/mongo';
import type { IdentityRemovalDocument } from './identity-removal.model';

/** Removal requests by id: each names its tenant, account and session. */
export class IdentityRemovalRepository extends AggregateStore<IdentityRemovalDocument> {
  constructor(model: Model<IdentityRemovalDocument>, outboxes: OutboxRegistry) {
    super(model, { outboxes });
  }
}
