import type { Caller } from '@messngr/kit/auth';
import { checkDeviceDescription, newId, type DeviceDescription, type DeviceDescriptionInput } from '@messngr/kit/core';
import { BadUserInputError } from '@messngr/kit/errors';
import type { StoredIdentity } from '../domain/identity';
import { newFamily } from '../domain/session';
import { sessionLifetimesOf } from '../domain/tenant-rules';
import type { SessionDependencies } from '../dependencies';
import { sessionStarted } from '../events/identity-events-publisher';
import type { AccountDocument } from '../persistence/account.model';
import type { SessionDocument } from '../persistence/session.model';
import { newRefreshToken } from '../tokens/refresh-token';

/** What a recovery session records as the identity it signed in with. */
export const RECOVERY_CODE_IDENTITY = 'recovery-code';

export type DevicePlatform = 'IOS' | 'ANDROID' | 'WEB' | 'DESKTOP';

export interface DeviceAtSignIn extends DeviceDescriptionInput {
  platform: DevicePlatform;
}

/** A device named at sign-in, checked: only `checkDeviceAtSignIn` makes one. */
export interface CheckedDevice extends DeviceDescription {
  readonly checked: true;
  platform: DevicePlatform;
}

export interface SignedIn {
  session: SessionDocument;
  account: AccountDocument;
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  accountCreated?: boolean;
}

/**
 * The one way a session begins, whatever the door (a one-time code now; an upstream
 * provider or the token endpoint later): the session with its refresh-token family, the
 * device the client named (registered and bound to the session by the device subgraph, from
 * the event), and the first tokens.
 */
export async function beginSession(
  deps: SessionDependencies,
  caller: Caller,
  request: {
    account: AccountDocument;
    /** The identity signed in with; null for a recovery code, which is no identity. */
    identity: StoredIdentity | null;
    /** Checked before anything was spent (a code, a flow), so a bad device name costs the user nothing. */
    device: CheckedDevice | null;
    clientId?: string | null;
    now: Date;
    /** A recovery session: no roles, and it may only link an identity and make new recovery codes. */
    restricted?: boolean;
    /** The authorization server's door: the grant and hosted-page sign-in the session comes from. */
    oauth?: { grantId: string; browserSignInId: string; scope: string };
    /** When the holder proved who they are, if before now (a hosted-page sign-in an authorization code came from). */
    authenticatedAt?: Date;
  },
): Promise<SignedIn> {
  const { account, identity, now } = request;
  const tenant = await deps.tenants.findCached(account.tenantId);
  const lifetimes = sessionLifetimesOf(tenant ?? {});
  const sessionId = newId('ses', now.getTime());
  // Inserted at version 1 with its SessionStarted event: version 2 once the relay has published it.
  const refresh = newRefreshToken(account.tenantId, sessionId, 0, 2);
  const device = request.device && {
    id: newId('dev', now.getTime()),
    name: request.device.name,
    platform: request.device.platform,
    appVersion: request.device.appVersion,
    publicKey: request.device.publicKey,
  };
  const session = {
    _id: sessionId,
    tenantId: account.tenantId,
    accountId: account._id,
    roles: request.restricted ? [] : account.roles,
    identity: identity
      ? { id: identity.id, kind: identity.kind, displayValue: identity.displayValue }
      : { id: RECOVERY_CODE_IDENTITY, kind: 'RECOVERY_CODE' as const, displayValue: 'Recovery code' },
    providerId: identity?.providerId ?? null,
    deviceId: device?.id ?? null,
    clientId: request.clientId?.trim().slice(0, 100) || 'messngr',
    clientIp: caller.clientIp ?? null,
    userAgent: caller.userAgent ?? null,
    status: 'ACTIVE' as const,
    endedAt: null,
    endReason: null,
    refresh: newFamily(refresh.hash, now, lifetimes),
    createdAt: now,
    authenticatedAt: request.authenticatedAt ?? now,
    ...(request.restricted ? { restricted: true } : {}),
    ...(request.oauth ? { oauth: request.oauth } : {}),
  };
  const actor = { id: account._id, type: 'account' as const, clientIp: caller.clientIp, userAgent: caller.userAgent };
  const stored = await deps.sessions.insert(session, [sessionStarted(session, device, actor, now)]);
  const access = await deps.tokens.issue({
    tenantId: account.tenantId,
    accountId: account._id,
    sessionId,
    roles: session.roles,
    clientId: session.clientId,
    restricted: request.restricted ?? false,
  });
  return {
    session: stored,
    account,
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt,
    refreshToken: refresh.token,
  };
}

/**
 * The device a client names at sign-in, checked by the rules registerDevice applies; done
 * first, before a code or flow is spent. `BAD_USER_INPUT` naming the field (`device.name`…).
 */
export function checkDeviceAtSignIn(device: DeviceAtSignIn | null | undefined): CheckedDevice | null {
  if (!device) return null;
  const checked = checkDeviceDescription(device, 'device.');
  if ('problem' in checked) throw new BadUserInputError(checked.problem, { field: checked.field });
  return { checked: true, platform: device.platform, ...checked.description };
}
