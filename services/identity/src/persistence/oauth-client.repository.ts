import type { Model } from 'mongoose';
import type { TenantId } from '@messngr/kit/core';
import type { OutboxRegistry } from '@messngr/kit/events';
import { TenantScopedStore } from '@messngr/kit/mongo';
import type { OAuthClientDocument } from './oauth-client.model';

export class OAuthClientRepository extends TenantScopedStore<OAuthClientDocument> {
  constructor(model: Model<OAuthClientDocument>, outboxes: OutboxRegistry) {
    super(model, { outboxes });
  }

  /** A page of the tenant's active clients, oldest first (ids are time-ordered). */
  activeOf(tenantId: TenantId, options: { first: number; after?: string | null }): Promise<OAuthClientDocument[]> {
    return this.page(tenantId, { status: 'ACTIVE' }, options);
  }
}
