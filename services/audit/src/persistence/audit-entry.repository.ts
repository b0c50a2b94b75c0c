import type { Model } from 'mongoose';
import { isDuplicateKeyError, TenantScopedCollection, type ScopedFilter } from '@messngr/kit';
import type { AuditEntryDocument } from './audit-entry.model';

/** Append-only: entries are inserted once and read by tenant; nothing updates or deletes them. */
export class AuditEntryRepository {
  private readonly scoped: TenantScopedCollection<AuditEntryDocument>;

  constructor(readonly model: Model<AuditEntryDocument>) {
    this.scoped = new TenantScopedCollection(model);
  }

  /** Records the entry unless it is already there; true when it was new. */
  async record(entry: AuditEntryDocument): Promise<boolean> {
    try {
      await this.model.collection.insertOne(entry as never);
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  findById(tenantId: string, id: string): Promise<AuditEntryDocument | null> {
    return this.scoped.findById(tenantId, id);
  }

  findByIdInAnyTenant(id: string): Promise<AuditEntryDocument | null> {
    return this.scoped.findByIdInAnyTenant(id);
  }

  /** Up to `limit` entries of the tenant, newest first, older than the entry `before` when given. */
  newestFirst(
    tenantId: string,
    filter: ScopedFilter<AuditEntryDocument>,
    limit: number,
    before: string | null,
  ): Promise<AuditEntryDocument[]> {
    const range = before ? { _id: { $lt: before } } : {};
    return this.model
      .find({ ...filter, ...range, tenantId })
      .sort({ _id: -1 })
      .limit(limit)
      .lean<AuditEntryDocument[]>()
      .exec();
  }
}
