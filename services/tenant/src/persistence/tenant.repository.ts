import type { OutboxRegistry } from '@messngr/kit/events';
import type { Model, mongo } from 'mongoose';
import type { EventEnvelope } from '@messngr/contracts';
import { asTenantId, type TenantId } from '@messngr/kit/core';
import { AggregateStore, isDuplicateKeyError, type Decision, type NewAggregate } from '@messngr/kit/mongo';
import type { TenantDocument, TenantStatus } from './tenant.model';

export type TenantDecision = Decision<TenantDocument>;

/** Tenants are the scope itself: looked up by id, slug or one of their providers. */
export class TenantRepository extends AggregateStore<TenantDocument> {
  constructor(model: Model<TenantDocument>, outboxes: OutboxRegistry) {
    super(model, { outboxes });
  }

  findBySlug(slug: string): Promise<TenantDocument | null> {
    return this.findOne({ slug });
  }

  findByProviderId(providerId: string): Promise<TenantDocument | null> {
    return this.findOne({ 'identityProviders.id': providerId });
  }

  /** Oldest first by id; `text` matches name or slug, case-insensitively. */
  page(
    filter: { ids?: TenantId[]; status?: TenantStatus | null; text?: string | null },
    limit: number,
    after: string | null,
  ): Promise<TenantDocument[]> {
    const conditions: mongo.Filter<TenantDocument>[] = [];
    if (filter.ids) conditions.push({ _id: { $in: filter.ids } });
    if (filter.status) conditions.push({ status: filter.status });
    if (after) conditions.push({ _id: { $gt: asTenantId(after) } });
    if (filter.text) {
      const pattern = new RegExp(escapeRegExp(filter.text), 'i');
      conditions.push({ $or: [{ name: pattern }, { slug: pattern }] });
    }
    return this.find(conditions.length > 0 ? { $and: conditions } : {}, { sort: { _id: 1 }, limit });
  }

  /** Inserts the tenant with its events; `slug-taken` when the unique slug index refuses it. */
  async create(tenant: NewAggregate<TenantDocument>, events: EventEnvelope[]): Promise<TenantDocument | 'slug-taken' | 'id-taken'> {
    try {
      return await this.insert(tenant, events);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      return String((error as Error).message).includes('slug') ? 'slug-taken' : 'id-taken';
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
