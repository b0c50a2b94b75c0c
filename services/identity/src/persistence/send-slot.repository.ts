import type { Model } from 'mongoose';
import type { TenantId } from '@messngr/kit/core';
import { TenantScopedRecords } from '@messngr/kit/mongo';
import type { SendSlotDocument } from './send-slot.model';

/**
 * Send limits that hold under concurrency on FerretDB and MongoDB alike: each send takes a
 * numbered slot of its scope and window by inserting it under a unique `_id`; when every
 * slot up to the limit is taken, the send is refused. (A counter with `$inc` would lose
 * updates on FerretDB under concurrency.)
 */
export class SendSlotRepository extends TenantScopedRecords<SendSlotDocument> {
  constructor(model: Model<SendSlotDocument>) {
    super(model);
  }

  /** Takes a free slot of `scope` in `window`; false when all `limit` are taken. */
  async take(tenantId: TenantId, scope: string, window: { id: string; endsAt: Date }, limit: number): Promise<boolean> {
    const prefix = `${scope}:${window.id}:`;
    const taken = await this.count(tenantId, { _id: { $gte: prefix, $lt: `${prefix}~` } });
    for (let slot = taken + 1; slot <= limit; slot += 1) {
      const id = `${prefix}${String(slot).padStart(5, '0')}`;
      if (await this.insertIfAbsent({ _id: id, tenantId, expiresAt: window.endsAt })) return true;
    }
    return false;
  }
}
