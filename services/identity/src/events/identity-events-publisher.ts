import {
  AccountCreated,
  AccountRecoveryStarted,
  AccountRolesChanged,
  IdentityLinked,
  IdentityRemovalRequested,
  IdentityRemoved,
  IdentityRevoked,
  IdentityVerified,
  AccountDisabled,
  AccountEnabled,
  AccountUpdated,
  LoginLockedOut,
  SessionRevoked,
  SessionStarted,
  SigningKeysRotated,
  type AccountRole,
  type SessionDevice,
} from '@messngr/contracts';
import type { TenantId } from '@messngr/kit/core';
import { actorFields, createEvent, type EventActor } from '@messngr/kit/events';
import type { IdentityKind, StoredIdentity } from '../domain/identity';
import type { SessionEndReason } from '../domain/session';
import type { KeyTimeline } from '../domain/signing-keyring';
import type { AccountDocument } from '../persistence/account.model';
import type { SessionDocument } from '../persistence/session.model';

type AccountFacts = Pick<AccountDocument, '_id' | 'tenantId' | 'displayName' | 'handle'>;

/** The envelope fields of an event about an account: its subject, tenant and account, who, and when. */
function aboutAccount(account: Pick<AccountFacts, '_id' | 'tenantId'>, actor: EventActor, time: Date) {
  return { subject: account._id, tenantId: account.tenantId, accountId: account._id, ...actorFields(actor), time };
}

function accountData(account: AccountFacts) {
  return { id: account._id, tenantId: account.tenantId, displayName: account.displayName, handle: account.handle };
}

export function accountCreated(account: AccountFacts, actor: EventActor, time: Date) {
  return createEvent(AccountCreated, {
    ...aboutAccount(account, actor, time),
    data: { account: accountData(account) },
  });
}

export function accountUpdated(
  account: AccountFacts & Pick<AccountDocument, 'preferredLocale' | 'timeZone' | 'status'>,
  changes: Record<string, { before: unknown; after: unknown }>,
  actor: EventActor,
  time: Date,
) {
  return createEvent(AccountUpdated, {
    ...aboutAccount(account, actor, time),
    data: {
      account: {
        ...accountData(account),
        preferredLocale: account.preferredLocale,
        timeZone: account.timeZone,
        status: account.status,
      },
      changes,
    },
  });
}

export function accountDisabled(account: AccountFacts, reason: string, actor: EventActor, time: Date) {
  return createEvent(AccountDisabled, {
    ...aboutAccount(account, actor, time),
    data: { account: accountData(account), reason },
  });
}

export function accountRolesChanged(
  account: AccountFacts,
  before: AccountRole[],
  after: AccountRole[],
  actor: EventActor,
  time: Date,
) {
  return createEvent(AccountRolesChanged, {
    ...aboutAccount(account, actor, time),
    data: { account: accountData(account), before, after },
  });
}

export function accountEnabled(account: AccountFacts, actor: EventActor, time: Date) {
  return createEvent(AccountEnabled, {
    ...aboutAccount(account, actor, time),
    data: { account: accountData(account) },
  });
}

type SessionFacts = Pick<
  SessionDocument,
  '_id' | 'accountId' | 'tenantId' | 'identity' | 'providerId' | 'authenticatedAt' | 'refresh'
>;

function aboutSession(session: Pick<SessionFacts, '_id' | 'tenantId' | 'accountId'>, actor: EventActor, time: Date) {
  return { subject: session._id, tenantId: session.tenantId, accountId: session.accountId, ...actorFields(actor), time };
}

function sessionData(session: SessionFacts) {
  return {
    id: session._id,
    accountId: session.accountId,
    tenantId: session.tenantId,
    identityKind: session.identity.kind,
    identityDisplay: session.identity.displayValue,
    providerId: session.providerId,
    authenticatedAt: session.authenticatedAt.toISOString(),
    expiresAt: session.refresh.absoluteExpiresAt.toISOString(),
  };
}

export function sessionStarted(session: SessionFacts, device: SessionDevice | null, actor: EventActor, time: Date) {
  return createEvent(SessionStarted, {
    ...aboutSession(session, actor, time),
    data: { session: sessionData(session), device },
  });
}

export function sessionRevoked(
  session: SessionFacts,
  reason: SessionEndReason,
  accessTokensExpireBy: Date,
  actor: EventActor,
  time: Date,
) {
  return createEvent(SessionRevoked, {
    ...aboutSession(session, actor, time),
    data: { session: sessionData(session), reason, accessTokensExpireBy: accessTokensExpireBy.toISOString() },
  });
}

export function loginLockedOut(
  tenantId: TenantId,
  identifierDigest: string,
  identifier: { kind: IdentityKind; masked: string },
  failures: number,
  lockedUntil: Date,
  time: Date,
) {
  return createEvent(LoginLockedOut, {
    subject: identifierDigest,
    tenantId,
    actor: { type: 'system' },
    time,
    data: {
      identifierKind: identifier.kind,
      identifierDisplay: identifier.masked,
      failures,
      lockedUntil: lockedUntil.toISOString(),
    },
  });
}

export function signingKeysRotated(tenantId: TenantId, next: KeyTimeline, retired: KeyTimeline | undefined, time: Date) {
  return createEvent(SigningKeysRotated, {
    subject: tenantId,
    tenantId,
    actor: { type: 'system' },
    time,
    data: {
      nextKid: next.kid,
      signsFrom: next.signsFrom.toISOString(),
      retiredKid: retired?.kid ?? null,
      retiredKidDroppedAt: retired?.droppedAt?.toISOString() ?? null,
    },
  });
}

type AccountRef = Pick<AccountDocument, '_id' | 'tenantId'>;

/** An identity as events show it: the masked display value and the provider's badge, never the value. */
function identityData(identity: StoredIdentity, badgeKey: string) {
  return {
    id: identity.id,
    kind: identity.kind,
    providerId: identity.providerId,
    badgeKey,
    displayValue: identity.displayValue,
    verified: identity.verified,
  };
}

function identityEventData(account: AccountRef, identity: StoredIdentity, badgeKey: string) {
  return { account: { id: account._id, tenantId: account.tenantId }, identity: identityData(identity, badgeKey) };
}

export function identityLinked(
  account: AccountRef,
  identity: StoredIdentity,
  badgeKey: string,
  method: 'CODE' | 'PROVIDER',
  actor: EventActor,
  time: Date,
) {
  return createEvent(IdentityLinked, {
    ...aboutAccount(account, actor, time),
    data: { ...identityEventData(account, identity, badgeKey), method },
  });
}

export function identityVerified(account: AccountRef, identity: StoredIdentity, badgeKey: string, actor: EventActor, time: Date) {
  return createEvent(IdentityVerified, {
    ...aboutAccount(account, actor, time),
    data: identityEventData(account, identity, badgeKey),
  });
}

export function identityRemovalRequested(
  account: AccountRef,
  identity: StoredIdentity,
  badgeKey: string,
  expiresAt: Date,
  actor: EventActor,
  time: Date,
) {
  return createEvent(IdentityRemovalRequested, {
    ...aboutAccount(account, actor, time),
    data: { ...identityEventData(account, identity, badgeKey), expiresAt: expiresAt.toISOString() },
  });
}

export function identityRemoved(account: AccountRef, identity: StoredIdentity, badgeKey: string, actor: EventActor, time: Date) {
  return createEvent(IdentityRemoved, {
    ...aboutAccount(account, actor, time),
    data: identityEventData(account, identity, badgeKey),
  });
}

export function identityRevoked(
  account: AccountRef,
  identity: StoredIdentity,
  badgeKey: string,
  reason: string,
  remainingVerifiedIdentities: number,
  actor: EventActor,
  time: Date,
) {
  return createEvent(IdentityRevoked, {
    ...aboutAccount(account, actor, time),
    data: { ...identityEventData(account, identity, badgeKey), reason, remainingVerifiedIdentities },
  });
}

export function accountRecoveryStarted(
  account: AccountRef,
  method: 'RECOVERY_CODE' | 'OPERATOR',
  operatorReason: string | null,
  actor: EventActor,
  time: Date,
) {
  return createEvent(AccountRecoveryStarted, {
    ...aboutAccount(account, actor, time),
    data: { account: { id: account._id, tenantId: account.tenantId }, method, operatorReason },
  });
}
