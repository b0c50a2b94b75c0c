import type { OutboxRegistry } from '@messngr/kit/events';
import type { Model } from 'mongoose';
import type { TenantId } from '@messngr/kit/core';
import { TenantScopedStore } from '@messngr/kit/mongo';
import type { DeviceDocument } from './device.model';

/** Listing bound: an account has a handful of devices; this only stops a runaway from loading thousands. */
export const MAX_LISTED_DEVICES = 200;

/** Devices, scoped by tenant in every read and write (the kit's store); the model stays inside it. */
export class DeviceRepository extends TenantScopedStore<DeviceDocument> {
  constructor(model: Model<DeviceDocument>, outboxes: OutboxRegistry) {
    super(model, { outboxes });
  }

  /** An account's devices, newest first (device ids are time-ordered): the trusted ones, or all with `includeRevoked`. */
  ofAccount(tenantId: TenantId, accountId: string, { includeRevoked }: { includeRevoked: boolean }): Promise<DeviceDocument[]> {
    const filter = includeRevoked ? { accountId } : { accountId, revokedAt: null };
    return this.find(tenantId, filter, { sort: { _id: -1 }, limit: MAX_LISTED_DEVICES });
  }

  /** Some of an account's devices by id (the holders of its slots), revoked or not. */
  byIds(tenantId: TenantId, ids: readonly string[]): Promise<DeviceDocument[]> {
    return this.find(tenantId, { _id: { $in: [...ids] } }, { limit: ids.length });
  }

  /** The devices bound to a session (one, when its client named a device at sign-in), revoked or not. */
  boundToSession(tenantId: TenantId, sessionId: string): Promise<DeviceDocument[]> {
    return this.find(tenantId, { sessionId }, { sort: { _id: 1 }, limit: MAX_LISTED_DEVICES });
  }
}
