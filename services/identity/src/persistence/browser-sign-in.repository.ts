import type { Model } from 'mongoose';
import type { OutboxRegistry } from '@messngr/kit/events';
import { TenantScopedStore } from '@messngr/kit/mongo';
import type { BrowserSignInDocument } from './browser-sign-in.model';

export class BrowserSignInRepository extends TenantScopedStore<BrowserSignInDocument> {
  constructor(model: Model<BrowserSignInDocument>, outboxes: OutboxRegistry) {
    super(model, { outboxes });
  }
}
