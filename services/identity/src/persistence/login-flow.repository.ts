import type { Model } from 'mongoose';
import type { OutboxRegistry } from '@messngr/kit/events';
import { AggregateStore } from '@messngr/kit/mongo';
import type { LoginFlowDocument } from './login-flow.model';

/**
 * Sign-in flows, found by their id alone: the id is the capability a client holds, and the
 * flow names its tenant (a caller completing one is anonymous, with no tenant of its own).
 */
export class LoginFlowRepository extends AggregateStore<LoginFlowDocument> {
  constructor(model: Model<LoginFlowDocument>, outboxes: OutboxRegistry) {
    super(model, { outboxes });
  }

  /** Flows whose code still waits to be sent, oldest first. */
  awaitingDelivery(limit: number): Promise<LoginFlowDocument[]> {
    return this.find({ 'delivery.pending': true }, { sort: { issuedAt: 1 }, limit });
  }
}
