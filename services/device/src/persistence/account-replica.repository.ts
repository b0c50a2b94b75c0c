import type { Model } from 'mongoose';
import type { AccountReplicaDocument } from './account-replica.model';

export class AccountReplicaRepository {
  constructor(readonly model: Model<AccountReplicaDocument>) {}

  /** Account ids are unique across tenants; the tenant comes from the replica, never from the caller. */
  findById(id: string): Promise<AccountReplicaDocument | null> {
    return this.model.findOne({ _id: id }).lean<AccountReplicaDocument>().exec();
  }

  async apply(account: AccountReplicaDocument): Promise<void> {
    await this.model.collection.updateOne(
      { _id: account._id } as never,
      { $set: { tenantId: account.tenantId, lastEventId: account.lastEventId } },
      { upsert: true },
    );
  }
}
