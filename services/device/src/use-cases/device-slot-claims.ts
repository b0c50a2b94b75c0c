import type { TenantId } from '@messngr/kit/core';
import { isStaleClaim, slotsToTry } from '../domain/device-slots';
import type { DeviceSlotRepository } from '../persistence/device-slot.repository';
import type { DeviceDocument } from '../persistence/device.model';
import type { DeviceRepository } from '../persistence/device.repository';

export interface SlotDependencies {
  slots: Pick<DeviceSlotRepository, 'ofAccount' | 'claim' | 'release'>;
  devices: Pick<DeviceRepository, 'byIds'>;
  maxActiveDevices: number;
}

/**
 * Claims one of the account's `maxActiveDevices` slots for a device about to be inserted; the
 * slot, or null when every one is held. When all are held, claims whose device is revoked (its
 * release was lost) or never came (a crashed registration) are freed and the free ones tried
 * once more, so a lost release cannot shrink the cap for good.
 */
export async function claimDeviceSlot(
  deps: SlotDependencies,
  device: { tenantId: TenantId; accountId: string; deviceId: string },
  now: Date,
): Promise<number | null> {
  for (let round = 0; round < 2; round += 1) {
    const claims = await deps.slots.ofAccount(device.tenantId, device.accountId, deps.maxActiveDevices);
    const taken = new Set(claims.map((claim) => claim.slot));
    for (const slot of slotsToTry(deps.maxActiveDevices, taken)) {
      if (await deps.slots.claim(device.tenantId, device.accountId, slot, device.deviceId, now)) return slot;
    }
    if (round > 0 || !(await freeStaleSlots(deps, device, now))) return null;
  }
  return null;
}

/** Frees the slot a revoked device held (if it still holds it). */
export async function releaseDeviceSlot(
  slots: Pick<DeviceSlotRepository, 'release'>,
  device: Pick<DeviceDocument, '_id' | 'tenantId' | 'accountId' | 'slot'>,
): Promise<void> {
  if (device.slot === null || device.slot === undefined) return;
  await slots.release(device.tenantId, device.accountId, device.slot, device._id);
}

async function freeStaleSlots(
  deps: SlotDependencies,
  account: { tenantId: TenantId; accountId: string },
  now: Date,
): Promise<boolean> {
  const claims = await deps.slots.ofAccount(account.tenantId, account.accountId, deps.maxActiveDevices);
  const holders = new Map(
    (
      await deps.devices.byIds(
        account.tenantId,
        claims.map((claim) => claim.deviceId),
      )
    ).map((device) => [device._id, device]),
  );
  let freed = false;
  for (const claim of claims) {
    if (isStaleClaim(claim, holders.get(claim.deviceId), now)) {
      freed = (await deps.slots.release(account.tenantId, account.accountId, claim.slot, claim.deviceId)) || freed;
    }
  }
  return freed;
}
