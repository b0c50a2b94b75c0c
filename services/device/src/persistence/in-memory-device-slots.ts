import type { TenantId } from '@messngr/kit/core';
import { slotId } from '../domain/device-slots';
import type { DeviceSlotDocument } from './device-slot.model';
import type { DeviceSlotRepository } from './device-slot.repository';

/** For unit tests: the slot claims in memory, a taken `_id` refused like E11000 (answered false). */
export class InMemoryDeviceSlots implements Pick<DeviceSlotRepository, 'ofAccount' | 'claim' | 'release'> {
  readonly claims = new Map<string, DeviceSlotDocument>();

  async ofAccount(tenantId: TenantId, accountId: string, _cap?: number): Promise<DeviceSlotDocument[]> {
    return [...this.claims.values()]
      .filter((claim) => claim.tenantId === tenantId && claim.accountId === accountId)
      .sort((a, b) => a.slot - b.slot);
  }

  async claim(tenantId: TenantId, accountId: string, slot: number, deviceId: string, now: Date): Promise<boolean> {
    const id = slotId(tenantId, accountId, slot);
    // Yield first, as a round trip would, so concurrent claims interleave.
    await Promise.resolve();
    if (this.claims.has(id)) return false;
    this.claims.set(id, { _id: id, tenantId, accountId, slot, deviceId, claimedAt: now });
    return true;
  }

  async release(tenantId: TenantId, accountId: string, slot: number, deviceId: string): Promise<boolean> {
    const id = slotId(tenantId, accountId, slot);
    if (this.claims.get(id)?.deviceId !== deviceId) return false;
    return this.claims.delete(id);
  }
}
