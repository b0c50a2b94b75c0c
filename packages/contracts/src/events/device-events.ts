import { z } from 'zod';
import { defineEvent } from '../event-contract';
import { SESSION_END_REASONS } from './identity-events';
import { deviceSchema } from './shared-schemas';

export const DeviceRegistered = defineEvent({
  type: 'device.device.registered',
  producer: 'device',
  version: 1,
  key: 'account',
  summary:
    'A device was registered for an account. Keyed by the account, so one account’s device events stay in order. Carries no key material.',
  data: z.object({ device: deviceSchema }),
  consumers: ['audit'],
});

const id = z.string().min(1).max(100);

/** The longest reason a revoker may give (after trimming and collapsing white space). */
export const DEVICE_REVOCATION_REASON_MAX_LENGTH = 200;

/**
 * Who (or what) revoked a device, by `kind`:
 * - `OWNER`: the account the device belongs to revoked it (`accountId`: that account).
 * - `TENANT_ADMIN`: an administrator of the device's tenant (or a platform administrator) revoked it, with a reason (`accountId`: the administrator).
 * - `SUPPORT`: support staff (the tenant's support agent, or platform support) revoked it, with a reason (`accountId`: the agent).
 * - `SESSION_REVOKED`: the session the device was bound to ended early (an `identity.session.revoked`
 *   event) and the device went with it; `sessionEndReason` is that event's `reason`.
 */
export const deviceRevokerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('OWNER'), accountId: id }),
  z.object({ kind: z.literal('TENANT_ADMIN'), accountId: id }),
  z.object({ kind: z.literal('SUPPORT'), accountId: id }),
  z.object({ kind: z.literal('SESSION_REVOKED'), sessionId: id, sessionEndReason: z.enum(SESSION_END_REASONS) }),
]);

export type DeviceRevokerData = z.infer<typeof deviceRevokerSchema>;

export const DeviceRevoked = defineEvent({
  type: 'device.device.revoked',
  producer: 'device',
  version: 1,
  key: 'account',
  summary:
    'A device was revoked: it is no longer trusted. `data.revokedBy` says who or what revoked it (its owner, a tenant administrator, support, or the end of the session it was bound to); `data.reason` is what the revoker said, null when nothing was (always given by administrators and support). Revoked at the event’s `time`; a device is revoked once (a later revocation of a revoked device publishes nothing). The identity subgraph ends the session bound to the device (reason `DEVICE_REVOKED`) unless that session’s end revoked it. Keyed by the account, like every device event.',
  data: z.object({
    device: deviceSchema,
    reason: z
      .string()
      .min(1)
      .max(DEVICE_REVOCATION_REASON_MAX_LENGTH)
      .nullable()
      .describe(
        'What the revoker said (normalized: white space collapsed, trimmed); null when nothing was, always for a session’s end.',
      ),
    revokedBy: deviceRevokerSchema.describe(
      'Who or what revoked the device: `OWNER` (its account; `accountId`), `TENANT_ADMIN` or `SUPPORT` (`accountId`: the administrator or agent), or `SESSION_REVOKED` (the session it was bound to ended early; `sessionId`, `sessionEndReason` as in identity.session.revoked).',
    ),
  }),
  consumers: ['identity', 'audit'],
});

export const DeviceHandshakeCompleted = defineEvent({
  type: 'device.device.handshake_completed',
  producer: 'device',
  version: 1,
  key: 'account',
  summary:
    'A device proved it holds its key: it signed a fresh single-use nonce (completeDeviceHandshake), at the event’s `time`. The envelope’s `clientip` and `useragent` are where it connected from. Keyed by the account, like every device event; carries no key material, nonce or signature.',
  data: z.object({
    device: deviceSchema,
    handshakeAt: z.iso.datetime({ offset: true }).describe('When the handshake completed: the device’s new `lastHandshakeAt`.'),
  }),
  consumers: ['audit'],
});
