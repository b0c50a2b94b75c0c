import type { Model } from 'mongoose';
import type { EventEnvelope } from '@messngr/contracts';
import type { TenantId } from '@messngr/kit/core';
import type { OutboxRegistry } from '@messngr/kit/events';
import { isDuplicateKeyError, TenantScopedStore } from '@messngr/kit/mongo';
import { NO_LOCKOUT, type LockoutState } from '../domain/login-lockout';
import type { LoginLockoutDocument } from './login-lockout.model';

export class LoginLockoutRepository extends TenantScopedStore<LoginLockoutDocument> {
  constructor(model: Model<LoginLockoutDocument>, outboxes: OutboxRegistry) {
    super(model, { outboxes });
  }

  async stateOf(tenantId: TenantId, key: string): Promise<LockoutState> {
    return (await this.findById(tenantId, key)) ?? NO_LOCKOUT;
  }

  /** Applies `decide` to the identifier's lockout state, creating it on first use; safe under concurrency. */
  async update(
    tenantId: TenantId,
    key: string,
    now: Date,
    decide: (state: LockoutState) => { next: LockoutState; events: EventEnvelope[] },
  ): Promise<LockoutState> {
    for (;;) {
      const changed = await this.change(tenantId, key, (current) => {
        const { next, events } = decide(current);
        return { changes: { ...next, updatedAt: now }, events };
      });
      if (changed) return changed;
      try {
        await this.insert({ _id: key, tenantId, ...NO_LOCKOUT, updatedAt: now }, []);
      } catch (error) {
        // Someone created it first: change theirs.
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
  }
}
