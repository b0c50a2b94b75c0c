import type { Model } from 'mongoose';
import {
  insertAggregate,
  isDuplicateKeyError,
  TenantScopedCollection,
  type EventEnvelope,
  type NewAggregate,
} from '@messngr/kit';
import type { AccountDocument } from './account.model';

export class AccountRepository {
  readonly scoped: TenantScopedCollection<AccountDocument>;

  constructor(
    readonly model: Model<AccountDocument>,
    private readonly afterWrite: () => void,
  ) {
    this.scoped = new TenantScopedCollection(model);
  }

  findById(tenantId: string, id: string): Promise<AccountDocument | null> {
    return this.scoped.findById(tenantId, id);
  }

  findByHandle(tenantId: string, handle: string): Promise<AccountDocument | null> {
    return this.scoped.findOne(tenantId, { handle });
  }

  findByIdInAnyTenant(id: string): Promise<AccountDocument | null> {
    return this.scoped.findByIdInAnyTenant(id);
  }

  page(tenantId: string, first: number, after: string | null | undefined): Promise<AccountDocument[]> {
    return this.scoped.page(tenantId, {}, { first, after: after ?? null });
  }

  async insert(
    account: NewAggregate<AccountDocument>,
    events: EventEnvelope<unknown>[],
  ): Promise<AccountDocument | 'handle-taken'> {
    try {
      const stored = await insertAggregate(this.model, account, events);
      this.afterWrite();
      return stored;
    } catch (error) {
      if (isDuplicateKeyError(error)) return 'handle-taken';
      throw error;
    }
  }
}
