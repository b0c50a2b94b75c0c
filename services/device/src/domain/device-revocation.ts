import { displayTextProblem, normalizeDisplayText } from '@messngr/kit/core';
import {
  DEVICE_REVOCATION_REASON_MAX_LENGTH,
  type ActorType,
  type DeviceRevokerData,
  type SESSION_END_REASONS,
} from '@messngr/contracts';

/**
 * Who (or what) revoked a device; the same shape its `device.device.revoked` event carries.
 * - `OWNER`: the account the device belongs to (revokeDevice, `DELETE /api/account/devices/:id`).
 * - `TENANT_ADMIN`, `SUPPORT`: an administrator of its tenant, or support staff (revokeDevice, with a reason).
 * - `SESSION_REVOKED`: the session the device was bound to ended early, and the device went
 *   with it; `sessionEndReason` is the identity subgraph's reason for that.
 */
export type DeviceRevoker = DeviceRevokerData;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

export const DEVICE_STATUSES = ['ACTIVE', 'REVOKED'] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];

export const REVOCATION_REASON_LENGTH = { min: 1, max: DEVICE_REVOCATION_REASON_MAX_LENGTH };

/** The part of a device its revocation reads and writes. */
export interface RevocationState {
  revokedAt: Date | null;
  revokedBy?: DeviceRevoker | null;
  revocationReason?: string | null;
}

export interface Revocation {
  revokedAt: Date;
  revokedBy: DeviceRevoker;
  revocationReason: string | null;
}

/** A device is revoked once it has a revocation time; nothing brings it back. */
export function deviceStatus(device: Pick<RevocationState, 'revokedAt'>): DeviceStatus {
  return device.revokedAt ? 'REVOKED' : 'ACTIVE';
}

/**
 * Revokes a trusted device; undefined ("no change") for one revoked already, which keeps its
 * first revocation (time, revoker, reason) as it is. A redelivered event, a second click or a
 * session ending after its device was revoked by its owner therefore change nothing and
 * publish nothing.
 */
export function decideRevocation(device: RevocationState, revocation: Revocation): Revocation | undefined {
  if (deviceStatus(device) === 'REVOKED') return undefined;
  return revocation;
}

/**
 * The reason a revoker gives, normalized (NFC, white space collapsed, trimmed), or a problem:
 * absent (`undefined` or `null`) means none was given; blank, longer than 200 characters
 * or with control characters is refused rather than silently dropped.
 */
export function revocationReason(raw: string | null | undefined): { reason: string | null } | { problem: string } {
  if (raw === undefined || raw === null) return { reason: null };
  const reason = normalizeDisplayText(raw);
  const problem = displayTextProblem(reason, REVOCATION_REASON_LENGTH);
  return problem ? { problem: `reason ${problem} (omit it to give none).` } : { reason };
}

/**
 * The revoker of a revokeDevice call, from its actor (`actingActor`): the owner itself, an
 * administrator (`tenant_admin`), or support staff (`operator`). Nothing else revokes by hand.
 */
export function revokerOf(actor: { id: string; type: ActorType }): DeviceRevoker {
  switch (actor.type) {
    case 'account':
      return { kind: 'OWNER', accountId: actor.id };
    case 'tenant_admin':
      return { kind: 'TENANT_ADMIN', accountId: actor.id };
    case 'operator':
      return { kind: 'SUPPORT', accountId: actor.id };
    case 'system':
      throw new Error('the system revokes devices only with the session they are bound to');
    default: {
      const unknown: never = actor.type;
      throw new Error(`unknown actor type ${String(unknown)}`);
    }
  }
}

/** The revoker with every kind's fields, null where they do not apply: as GraphQL and the REST routes show it. */
export interface RevokerFields {
  kind: DeviceRevoker['kind'];
  accountId: string | null;
  sessionId: string | null;
  sessionEndReason: SessionEndReason | null;
}

export function revokerFields(revoker: DeviceRevoker): RevokerFields {
  switch (revoker.kind) {
    case 'OWNER':
    case 'TENANT_ADMIN':
    case 'SUPPORT':
      return { kind: revoker.kind, accountId: revoker.accountId, sessionId: null, sessionEndReason: null };
    case 'SESSION_REVOKED':
      return { kind: revoker.kind, accountId: null, sessionId: revoker.sessionId, sessionEndReason: revoker.sessionEndReason };
    default: {
      const unknown: never = revoker;
      throw new Error(`unknown revoker ${JSON.stringify(unknown)}`);
    }
  }
}
