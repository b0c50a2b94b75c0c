import { deviceStatus, revokerFields } from '../domain/device-revocation';
import type { DeviceResolvers } from '../generated/resolvers-types';
import type { DeviceRepository } from '../persistence/device.repository';
import { findReadableDevice } from '../use-cases/device-access';

export function deviceResolvers(devices: DeviceRepository): DeviceResolvers {
  return {
    __resolveReference: (reference, { caller }) => findReadableDevice(devices, caller, reference.id),
    id: (device) => device._id,
    status: (device) => deviceStatus(device),
    // Devices stored before revocation existed have neither field.
    revokedBy: (device) => (device.revokedBy ? revokerFields(device.revokedBy) : null),
    revocationReason: (device) => device.revocationReason ?? null,
    // Devices stored before these existed have none of them.
    publicKey: (device) => device.publicKey ?? null,
    appVersion: (device) => device.appVersion ?? null,
    lastHandshakeClientIp: (device) => device.lastHandshakeIp ?? null,
    lastHandshakeUserAgent: (device) => device.lastHandshakeUserAgent ?? null,
  };
}
