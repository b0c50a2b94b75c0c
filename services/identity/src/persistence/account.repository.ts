import type { OutboxRegistry } from '@messngr/kit/events';
import type { Model } from 'mongoose';
import type { EventEnvelope } from '@messngr/contracts';
import type { TenantId } from '@messngr/kit/core';
import { isDuplicateKeyError, TenantScopedStore, type NewAggregate } from '@messngr/kit/mongo';
import type { AccountDocument } from './account.model';

/** Accounts, scoped by tenant in every read and write (the kit's store); the model stays inside it. */
export class AccountRepository extends TenantScopedStore<AccountDocument> {
  constructor(model: Model<AccountDocument>, outboxes: OutboxRegistry) {
    super(model, { outboxes });
  }

  findByHandle(tenantId: TenantId, handle: string): Promise<AccountDocument | null> {
    return this.findOne(tenantId, { handle });
  }

  /** Accounts whose handle or display name begins with `prefix` (case-insensitively), by id after `after`. */
  findByNamePrefix(tenantId: TenantId, prefix: string, limit: number, after: string | null): Promise<AccountDocument[]> {
    const start = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'i');
    return this.page(tenantId, { $or: [{ handle: start }, { displayName: start }] }, { first: limit, after });
  }

  /** Inserts the account with its events; `handle-taken` when the tenant's unique handle index refuses it. */
  async create(account: NewAggregate<AccountDocument>, events: EventEnvelope[]): Promise<AccountDocument | 'handle-taken'> {
    try {
      return await this.insert(account, events);
    } catch (error) {
      if (isDuplicateKeyError(error)) return 'handle-taken';
      throw error;
    }
  }
}
