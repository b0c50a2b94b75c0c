import type { Model } from 'mongoose';
import { insertAggregate, isDuplicateKeyError, type EventEnvelope, type NewAggregate } from '@messngr/kit';
import type { TenantDocument } from './tenant.model';

/** Tenants are the scope itself: they are looked up by id or slug, never across another tenant. */
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
      const message = String((error as Error).message);
      return message.includes('slug') ? 'slug-taken' : 'id-taken';
    }
  }
}
