import { z } from 'zod';
import { defineEvent } from '../event-contract';
import { accountProfileSchema, accountSchema, fieldChangesSchema, identityKindSchema, sessionDeviceSchema, sessionSchema } from './shared-schemas';

export const AccountCreated = defineEvent({
  type: 'identity.account.created',
  producer: 'identity',
  version: 1,
  key: 'subject',
  summary: 'An account was created (by an administrator, or by a first sign-in where the tenant allows sign-up).',
  data: z.object({ account: accountSchema }),
  consumers: ['device', 'audit'],
});

export const AccountUpdated = defineEvent({
  type: 'identity.account.updated',
  producer: 'identity',
  version: 1,
  key: 'subject',
  summary: "An account's profile changed. `data.account` is the profile now; `data.changes` maps each changed field to {before, after}.",
  data: z.object({ account: accountProfileSchema, changes: fieldChangesSchema }),
  consumers: ['audit'],
});

export const AccountDisabled = defineEvent({
  type: 'identity.account.disabled',
  producer: 'identity',
  version: 1,
  key: 'subject',
  summary: 'An account was disabled: nobody can sign in to it, and its access tokens are refused from the next request on.',
  data: z.object({ account: accountSchema, reason: z.string() }),
  consumers: ['gateway', 'audit'],
});

export const AccountEnabled = defineEvent({
  type: 'identity.account.enabled',
  producer: 'identity',
  version: 1,
  key: 'subject',
  summary: 'A disabled account was enabled again. Tokens issued while it was disabled stay refused: none were.',
  data: z.object({ account: accountSchema }),
  consumers: ['gateway', 'audit'],
});

export const SessionStarted = defineEvent({
  type: 'identity.session.started',
  producer: 'identity',
  version: 1,
  key: 'account',
  summary:
    'Someone signed in: a session began. `data.device`, when the client named one, is registered by the device subgraph and bound to the session.',
  data: z.object({ session: sessionSchema, device: sessionDeviceSchema.nullable() }),
  consumers: ['device', 'audit'],
});

export const SESSION_END_REASONS = ['SIGNED_OUT', 'REVOKED', 'REVOKED_WITH_OTHERS', 'REVOKED_ALL', 'REFRESH_TOKEN_REUSED', 'EXPIRED'] as const;

export const SessionRevoked = defineEvent({
  type: 'identity.session.revoked',
  producer: 'identity',
  version: 1,
  key: 'account',
  summary:
    "A session ended before its time: its refresh tokens are dead, and its access tokens are refused from the next request on (until `data.accessTokensExpireBy`, when none is left). REFRESH_TOKEN_REUSED means a rotated refresh token came back: the whole family is revoked.",
  data: z.object({
    session: sessionSchema,
    reason: z.enum(SESSION_END_REASONS),
    accessTokensExpireBy: z.iso.datetime({ offset: true }),
  }),
  consumers: ['gateway', 'audit'],
});

export const LoginLockedOut = defineEvent({
  type: 'identity.login.locked_out',
  producer: 'identity',
  version: 1,
  key: 'subject',
  summary:
    'Too many wrong codes for one email address or phone number: sign-in with it is locked until `data.lockedUntil`, a little longer after each lockout. The subject is an opaque hash of the identifier, never the identifier.',
  data: z.object({
    identifierKind: identityKindSchema,
    identifierDisplay: z.string(),
    failures: z.number().int().positive(),
    lockedUntil: z.iso.datetime({ offset: true }),
  }),
  consumers: ['audit'],
});

export const SigningKeysRotated = defineEvent({
  type: 'identity.signing_keys.rotated',
  producer: 'identity',
  version: 1,
  key: 'subject',
  summary:
    "A tenant's token signing keys rotated: `data.nextKid` is published now and signs from `data.signsFrom`; the key it replaces stays published until `data.retiredKidDroppedAt`.",
  data: z.object({
    nextKid: z.string(),
    signsFrom: z.iso.datetime({ offset: true }),
    retiredKid: z.string().nullable(),
    retiredKidDroppedAt: z.iso.datetime({ offset: true }).nullable(),
  }),
  consumers: ['audit'],
});
