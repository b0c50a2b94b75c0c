import type { Model, QueryFilter } from 'mongoose';
import {
  changeAggregate,
  insertAggregate,
  isDuplicateKeyError,
  type AggregateFields,
  type EventEnvelope,
  type NewAggregate,
} from '@messngr/kit';
import type { TenantDocument, TenantStatus } from './tenant.model';

export type TenantDecision = { changes: Partial<Omit<TenantDocument, keyof AggregateFields>>; events: EventEnvelope<unknown>[] };

/** Tenants are the scope itself: looked up by id, slug or one of their providers. */
export class TenantRepository {
  constructor(
    readonly model: Model<TenantDocument>,
    private readonly afterWrite: () => void,
  ) {}

  findById(id: string): Promise<TenantDocument | null> {
    return this.model.findOne({ _id: id }).lean<TenantDocument>().exec();
  }

  findBySlug(slug: string): Promise<TenantDocument | null> {
    return this.model.findOne({ slug }).lean<TenantDocument>().exec();
  }

  findByProviderId(providerId: string): Promise<TenantDocument | null> {
    return this.model.findOne({ 'identityProviders.id': providerId }).lean<TenantDocument>().exec();
  }

  /** Oldest first by id; `text` matches name or slug, case-insensitively. */
  page(
    filter: { ids?: string[]; status?: TenantStatus | null; text?: string | null },
    limit: number,
    after: string | null,
  ): Promise<TenantDocument[]> {
    const query: QueryFilter<TenantDocument> = {};
    const conditions: QueryFilter<TenantDocument>[] = [];
    if (filter.ids) conditions.push({ _id: { $in: filter.ids } });
    if (filter.status) conditions.push({ status: filter.status });
    if (after) conditions.push({ _id: { $gt: after } });
    if (filter.text) {
      const pattern = new RegExp(escapeRegExp(filter.text), 'i');
      conditions.push({ $or: [{ name: pattern }, { slug: pattern }] });
    }
    if (conditions.length > 0) query.$and = conditions;
    return this.model.find(query).sort({ _id: 1 }).limit(limit).lean<TenantDocument[]>().exec();
  }

  /** Inserts the tenant with its events; `slug-taken` when the unique slug index refuses it. */
  async insert(
    tenant: NewAggregate<TenantDocument>,
    events: EventEnvelope<unknown>[],
  ): Promise<TenantDocument | 'slug-taken' | 'id-taken'> {
    try {
      const stored = await insertAggregate(this.model, tenant, events);
      this.afterWrite();
      return stored;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      return String((error as Error).message).includes('slug') ? 'slug-taken' : 'id-taken';
    }
  }

  /** Read, decide, conditional write; `decide` throws to refuse and returns undefined for "no change". */
  async change(id: string, decide: (tenant: TenantDocument) => TenantDecision | undefined): Promise<TenantDocument | undefined> {
    const changed = await changeAggregate(() => this.findById(id).then((t) => t ?? undefined), this.model, decide);
    this.afterWrite();
    return changed;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
