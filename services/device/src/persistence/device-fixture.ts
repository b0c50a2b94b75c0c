import { asTenantId } from '@messngr/kit/core';
import type { NewAggregate } from '@messngr/kit/mongo';
import type { DeviceDocument } from './device.model';

/**
 * For unit tests: a device as stored, Kari's active Pixel 8 in tenant `ten_a`, without a key,
 * session or handshake, registered at 2026-11-23T09:00Z; `overrides` change any of it.
 */
export function aDevice(id: string, overrides: Partial<NewAggregate<DeviceDocument>> = {}): NewAggregate<DeviceDocument> {
  return {
    _id: id,
    tenantId: asTenantId('ten_a'),
    accountId: 'acc_kari',
    name: 'Pixel 8',
    platform: 'ANDROID',
    publicKeyFingerprint: null,
    sessionId: null,
    registeredAt: new Date('2026-11-23T09:00:00.000Z'),
    lastHandshakeAt: null,
    revokedAt: null,
    revokedBy: null,
    revocationReason: null,
    ...overrides,
  };
}
