import type { Model } from 'mongoose';
import type { OutboxRegistry } from '@messngr/kit/events';
import { AggregateStore } from '@messngr/kit/mongo';
import type { ProviderFlowDocument } from './provider-flow.model';

/** Upstream sign-in flows, found by id alone: the flow names its tenant (the callback's caller has none). */
export class ProviderFlowRepository extends AggregateStore<ProviderFlowDocument> {
  constructor(model: Model<ProviderFlowDocument>, outboxes: OutboxRegistry) {
    super(model, { outboxes });
  }
}
