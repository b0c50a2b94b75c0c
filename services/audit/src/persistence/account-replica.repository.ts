import type { Model } from 'mongoose';
import type { TenantId } from '@messngr/kit/core';
import { TenantScopedReplicas } from '@messngr/kit/mongo';
import type { AccountReplicaDocument } from './account-replica.model';

/** Accounts' names and feed settings, from the identity subgraph's events; newer events only. */
export class AccountReplicaRepository extends TenantScopedReplicas<AccountReplicaDocument> {
  constructor(model: Model<AccountReplicaDocument>) {
    super(model);
  }

  /** The accounts of `tenantId` among `ids`, in one query. */
  async byIds(tenantId: TenantId, ids: string[]): Promise<AccountReplicaDocument[]> {
    if (ids.length === 0) return [];
    return this.find(tenantId, { _id: { $in: ids } }, { sort: { _id: 1 }, limit: ids.length });
  }
}
