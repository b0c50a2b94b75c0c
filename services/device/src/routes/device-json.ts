import { deviceStatus, revokerFields, type DeviceStatus, type RevokerFields } from '../domain/device-revocation';
import type { DevicePlatform } from '../domain/device-platform';
import type { DeviceDocument } from '../persistence/device.model';

/** A device as the REST routes answer it: the fields GraphQL's `Device` has, dates in ISO 8601 (UTC). */
export interface DeviceJson {
  id: string;
  name: string;
  platform: DevicePlatform;
  publicKeyFingerprint: string | null;
  status: DeviceStatus;
  registeredAt: string;
  lastHandshakeAt: string | null;
  revokedAt: string | null;
  revokedBy: RevokerFields | null;
  revocationReason: string | null;
}

export function deviceJson(device: DeviceDocument): DeviceJson {
  return {
    id: device._id,
    name: device.name,
    platform: device.platform,
    publicKeyFingerprint: device.publicKeyFingerprint,
    status: deviceStatus(device),
    registeredAt: device.registeredAt.toISOString(),
    lastHandshakeAt: device.lastHandshakeAt?.toISOString() ?? null,
    revokedAt: device.revokedAt?.toISOString() ?? null,
    revokedBy: device.revokedBy ? revokerFields(device.revokedBy) : null,
    revocationReason: device.revocationReason ?? null,
  };
}

export type Parsed<T> = { value: T } | { problem: string; field: string };

/** `?includeRevoked=`: absent, `true` or `false`, once; anything else is refused, never guessed. */
export function parseIncludeRevoked(value: unknown): Parsed<boolean> {
  if (value === undefined) return { value: false };
  if (value === 'true' || value === 'false') return { value: value === 'true' };
  return { problem: 'includeRevoked must be `true` or `false`.', field: 'includeRevoked' };
}

/**
 * The optional body of `DELETE /api/account/devices/:id`: none, or a JSON object with an
 * optional `reason` (a string, or null for none) and nothing else.
 */
export function parseRevokeBody(body: unknown): Parsed<{ reason: string | null }> {
  if (body === undefined) return { value: { reason: null } };
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { problem: 'The body must be a JSON object.', field: 'body' };
  }
  const unknown = Object.keys(body).find((key) => key !== 'reason');
  if (unknown !== undefined)
    return { problem: `Unknown field ${JSON.stringify(unknown.slice(0, 50))}.`, field: unknown.slice(0, 50) };
  const reason = (body as { reason?: unknown }).reason;
  if (reason === undefined || reason === null) return { value: { reason: null } };
  if (typeof reason !== 'string') return { problem: 'reason must be a string.', field: 'reason' };
  return { value: { reason } };
}
