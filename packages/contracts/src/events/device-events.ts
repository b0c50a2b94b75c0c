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
 * - `SESSION_REVOKED`: the session the device was bound to ended early (an `identity.session.revoked`
 *   event) and the device went with it; `sessionEndReason` is that event's `reason`.
 */
export const deviceRevokerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('OWNER'), accountId: id }),
  z.object({ kind: z.literal('SESSION_REVOKED'), sessionId: id, sessionEndReason: z.enum(SESSION_END_REASONS) }),
]);

export type DeviceRevokerData = z.infer<typeof deviceRevokerSchema>;

export const DeviceRevoked = defineEvent({
  type: 'device.device.revoked',
  producer: 'device',
  version: 1,
  key: 'account',
  summary:
    'A device was revoked: it is no longer trusted. `data.revokedBy` says who or what revoked it (its owner, or the end of the session it was bound to); `data.reason` is what the revoker said, null when nothing was. Revoked at the event’s `time`; a device is revoked once (a later revocation of a revoked device publishes nothing). Keyed by the account, like every device event.',
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
      'Who or what revoked the device: `OWNER` (its account; `accountId`), or `SESSION_REVOKED` (the session it was bound to ended early; `sessionId`, `sessionEndReason` as in identity.session.revoked).',
    ),
  }),
  consumers: ['audit'],
});
