import type { Model } from 'mongoose';
import type { TenantId } from '@messngr/kit/core';
import { TenantScopedRecords, type ScopedFilter } from '@messngr/kit/mongo';
import type { AuditEntryDocument } from './audit-entry.model';

/** Append-only: entries are inserted once and read by tenant; nothing updates or deletes them. */
export class AuditEntryRepository extends TenantScopedRecords<AuditEntryDocument> {
  constructor(model: Model<AuditEntryDocument>) {
    super(model);
  }

  /** Records the entry unless it is already there; true when it was new. */
  record(entry: AuditEntryDocument): Promise<boolean> {
    return this.insertIfAbsent(entry);
  }

  /** Up to `limit` entries of the tenant, newest first, older than the entry `before` when given. */
  newestFirst(
    tenantId: TenantId,
    filter: ScopedFilter<AuditEntryDocument>,
    limit: number,
    before: string | null,
  ): Promise<AuditEntryDocument[]> {
    const range = before ? { _id: { $lt: before } } : {};
    return this.find(tenantId, { ...filter, ...range }, { sort: { _id: -1 }, limit });
  }
}
