import { z } from 'zod';
import { defineEvent } from '../event-contract';
import {
  accountProfileSchema,
  accountReferenceSchema,
  accountSchema,
  fieldChangesSchema,
  identityKindSchema,
  identityViewSchema,
  sessionDeviceSchema,
  sessionSchema,
} from './shared-schemas';

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
  summary:
    "An account's profile changed. `data.account` is the profile now; `data.changes` maps each changed field to {before, after}.",
  data: z.object({ account: accountProfileSchema, changes: fieldChangesSchema }),
  consumers: ['audit'],
});

/** The roles an account can hold in its tenant (its membership record): `platform_admin` only in the platform tenant. */
export const ACCOUNT_ROLES = ['tenant_admin', 'support_agent', 'platform_admin'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

export const AccountRolesChanged = defineEvent({
  type: 'identity.account.roles_changed',
  producer: 'identity',
  version: 1,
  key: 'subject',
  summary:
    "An account's roles in its tenant changed (its membership record): `data.before` and `data.after` are the whole sets. A role taken away ends the account's sessions (each with its own identity.session.revoked); a role given applies from its next sign-in.",
  data: z.object({
    account: accountSchema,
    before: z.array(z.enum(ACCOUNT_ROLES)),
    after: z.array(z.enum(ACCOUNT_ROLES)),
  }),
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

export const SESSION_END_REASONS = [
  'SIGNED_OUT',
  'REVOKED',
  'REVOKED_WITH_OTHERS',
  'REVOKED_ALL',
  'REFRESH_TOKEN_REUSED',
  'EXPIRED',
  'IDENTITY_REVOKED',
  'DEVICE_REVOKED',
  'ROLES_CHANGED',
  'GRANT_REVOKED',
  'TOKEN_REVOKED',
  'CLIENT_REMOVED',
] as const;

export const SessionRevoked = defineEvent({
  type: 'identity.session.revoked',
  producer: 'identity',
  version: 1,
  key: 'account',
  summary:
    'A session ended before its time: its refresh tokens are dead, and its access tokens are refused from the next request on (until `data.accessTokensExpireBy`, when none is left). REFRESH_TOKEN_REUSED means a rotated refresh token came back: the whole family is revoked.',
  data: z.object({
    session: sessionSchema,
    reason: z.enum(SESSION_END_REASONS),
    accessTokensExpireBy: z.iso.datetime({ offset: true }),
  }),
  consumers: ['gateway', 'audit', 'device'],
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

const identityEvent = <Data extends z.ZodRawShape>(extra: Data) =>
  z.object({ account: accountReferenceSchema, identity: identityViewSchema, ...extra });

export const IdentityLinked = defineEvent({
  type: 'identity.identity.linked',
  producer: 'identity',
  version: 1,
  key: 'subject',
  summary:
    'An identity was added to an account: an email or phone number proven with a code, or an account at an upstream provider (`data.method`). `data.identity.displayValue` is masked for email and phone.',
  data: identityEvent({ method: z.enum(['CODE', 'PROVIDER']) }),
  consumers: ['audit'],
});

export const IdentityVerified = defineEvent({
  type: 'identity.identity.verified',
  producer: 'identity',
  version: 1,
  key: 'subject',
  summary: 'An identity of an account was proven to belong to it (linking by code or through a provider verifies at once).',
  data: identityEvent({}),
  consumers: ['audit'],
});

export const IdentityRemovalRequested = defineEvent({
  type: 'identity.identity.removal_requested',
  producer: 'identity',
  version: 1,
  key: 'subject',
  summary: 'Someone asked to remove an identity from an account; it goes only once confirmed, before `data.expiresAt`.',
  data: identityEvent({ expiresAt: z.iso.datetime({ offset: true }) }),
  consumers: ['audit'],
});

export const IdentityRemoved = defineEvent({
  type: 'identity.identity.removed',
  producer: 'identity',
  version: 1,
  key: 'subject',
  summary: 'A removal was confirmed: the identity is gone from the account, and another verified identity remains.',
  data: identityEvent({}),
  consumers: ['audit'],
});

export const IdentityRevoked = defineEvent({
  type: 'identity.identity.revoked',
  producer: 'identity',
  version: 1,
  key: 'subject',
  summary:
    'A compromised identity was revoked: removed even if it was the last verified one, and every session opened through it ended (each with its own identity.session.revoked, reason IDENTITY_REVOKED).',
  data: identityEvent({ reason: z.string().min(1).max(500), remainingVerifiedIdentities: z.number().int().nonnegative() }),
  consumers: ['audit'],
});

export const AccountRecoveryStarted = defineEvent({
  type: 'identity.account.recovery_started',
  producer: 'identity',
  version: 1,
  key: 'subject',
  summary:
    'Recovery of an account began: a recovery code signed in (a restricted session that can only link an identity and make new codes), or support started an operator recovery (a one-time link sent to a new address; `data.operatorReason`).',
  data: z.object({
    account: accountReferenceSchema,
    method: z.enum(['RECOVERY_CODE', 'OPERATOR']),
    operatorReason: z.string().min(1).max(500).nullable(),
  }),
  consumers: ['audit'],
});
