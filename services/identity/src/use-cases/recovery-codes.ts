import type { Caller } from '@messngr/kit/auth';
import type { TenantId } from '@messngr/kit/core';
import { DomainError, NotFoundError } from '@messngr/kit/errors';
import { identifierDigest } from '../domain/identity';
import { afterRightCode, afterWrongCode, lockedForMs } from '../domain/login-lockout';
import { matchingSlot, newRecoveryCode, RECOVERY_CODE_COUNT, recoveryCodeHash } from '../domain/recovery-codes';
import type { IdentityDependencies } from '../dependencies';
import { accountRecoveryStarted } from '../events/identity-events-publisher';
import { countedSignIn } from '../identity-metrics';
import { beginSession, checkDeviceAtSignIn, type DeviceAtSignIn, type SignedIn } from './begin-session';
import { RetryLaterError } from './login-guards';
import { currentSession, requireRecentAuthentication } from './step-up';

/**
 * Ten new single-use recovery codes for the caller's account, shown once; only their HMACs are
 * kept, and the previous set is void. A recovery session may make them (it just proved a code);
 * any other session needs a recent sign-in.
 */
export async function generateRecoveryCodes(
  deps: IdentityDependencies,
  caller: Caller,
): Promise<{ codes: string[]; generatedAt: Date }> {
  const { me } = caller.restricted
    ? await currentSession(deps, caller, { allowRestricted: true })
    : await requireRecentAuthentication(deps, caller);
  const now = deps.clock.now();
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  const keyId = deps.recoveryKeys.active;
  const hashes = codes.map((code) => recoveryCodeHash(recoveryKey(deps, keyId), me.accountId, code));
  const account = await deps.accounts.change(me.tenantId, me.accountId, () => ({
    changes: { recoveryCodes: { hashes, keyId, generatedAt: now }, updatedAt: now },
    events: [],
  }));
  if (!account) throw new NotFoundError('Account');
  return { codes, generatedAt: now };
}

const REFUSED = () => new DomainError('INVALID_CODE', 'The handle or the recovery code is wrong.', 400);

/**
 * Signs in with a recovery code, once per code: a restricted session that may only link a new
 * identity and make new recovery codes. Wrong codes count towards a lockout of the handle,
 * like wrong sign-in codes; an unknown handle and a wrong code get the same answer.
 */
export function signInWithRecoveryCode(
  deps: IdentityDependencies,
  caller: Caller,
  command: RecoveryCodeSignIn,
): Promise<SignedIn> {
  return countedSignIn(deps.metrics, 'RECOVERY_CODE', () => spendRecoveryCode(deps, caller, command));
}

interface RecoveryCodeSignIn {
  tenantId: TenantId;
  handle: string;
  code: string;
  device?: DeviceAtSignIn | null;
}

async function spendRecoveryCode(deps: IdentityDependencies, caller: Caller, command: RecoveryCodeSignIn): Promise<SignedIn> {
  const device = checkDeviceAtSignIn(command.device);
  const now = deps.clock.now();
  const handle = command.handle.trim().toLowerCase();
  const key = `${command.tenantId}:recovery:${identifierDigest(command.tenantId, 'EMAIL', `handle:${handle}`)}`;
  const lockedFor = lockedForMs(await deps.lockouts.stateOf(command.tenantId, key), now);
  if (lockedFor > 0) throw new RetryLaterError('LOCKED_OUT', 'Too many wrong recovery codes; try again later.', lockedFor);
  const tenant = await deps.tenants.findCached(command.tenantId);
  if (!tenant || tenant.status !== 'ACTIVE') throw REFUSED();
  const account = await deps.accounts.findByHandle(command.tenantId, handle);
  const set = account?.recoveryCodes;
  const presented = account && set ? recoveryCodeHash(recoveryKey(deps, set.keyId), account._id, command.code) : '';
  let used = false;
  const changed = account
    ? await deps.accounts.change(account.tenantId, account._id, (current) => {
        const set = current.recoveryCodes;
        const slot = set ? matchingSlot(set, presented) : -1;
        used = slot >= 0;
        if (!set || slot < 0) return undefined;
        return {
          changes: {
            recoveryCodes: { ...set, hashes: set.hashes.map((hash, index) => (index === slot ? '' : hash)) },
            updatedAt: now,
          },
          events: [
            accountRecoveryStarted(
              current,
              'RECOVERY_CODE',
              null,
              { id: current._id, type: 'account', clientIp: caller.clientIp, userAgent: caller.userAgent },
              now,
            ),
          ],
        };
      })
    : undefined;
  if (!changed || !used) {
    await deps.lockouts.update(command.tenantId, key, now, (state) => ({ next: afterWrongCode(state, now).next, events: [] }));
    throw REFUSED();
  }
  const state = await deps.lockouts.stateOf(command.tenantId, key);
  if (state.failures > 0)
    await deps.lockouts.update(command.tenantId, key, now, (current) => ({ next: afterRightCode(current), events: [] }));
  if (changed.status !== 'ACTIVE') throw new DomainError('ACCOUNT_DISABLED', 'The account is disabled.', 409);
  return beginSession(deps, caller, { account: changed, identity: null, device, now, restricted: true });
}

function recoveryKey(deps: IdentityDependencies, keyId: string): Buffer {
  const key = deps.recoveryKeys.byId.get(keyId);
  if (!key) throw new Error(`no encryption key with id "${keyId}" is configured for recovery codes`);
  return key;
}
