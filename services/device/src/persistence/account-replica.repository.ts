import type { Model } from 'mongoose';
import { TenantScopedReplicas } from '@messngr/kit/mongo';
import type { AccountReplicaDocument } from './account-replica.model';

/** Which tenant each account belongs to, from the identity subgraph's events; newer events only. */
export class AccountReplicaRepository extends TenantScopedReplicas<AccountReplicaDocument> {
  constructor(model: Model<AccountReplicaDocument>) {
    super(model);
  }
}
