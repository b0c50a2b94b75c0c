import { requireAuthenticated, type Caller } from '@messngr/kit/auth';
import { displayTextProblem, normalizeDisplayText } from '@messngr/kit/core';
import { BadUserInputError, ConflictError, NotFoundError } from '@messngr/kit/errors';
import { isDuplicateKeyError } from '@messngr/kit/mongo';
import { handleProblem } from '../domain/handle';
import { canonicalLocale, knownTimeZone } from '../domain/profile-fields';
import type { IdentityDependencies } from '../dependencies';
import { accountUpdated } from '../events/identity-events-publisher';
import type { AccountDocument } from '../persistence/account.model';

export interface UpdateProfileCommand {
  displayName?: string | null;
  handle?: string | null;
  /** BCP 47; null clears it. */
  preferredLocale?: string | null;
  /** IANA; null clears it. */
  timeZone?: string | null;
}

type Profile = Pick<AccountDocument, 'displayName' | 'handle' | 'preferredLocale' | 'timeZone'>;

/** The caller's own profile; the event carries each changed field before and after. */
export async function updateProfile(
  deps: Pick<IdentityDependencies, 'accounts' | 'clock'>,
  caller: Caller,
  command: UpdateProfileCommand,
): Promise<AccountDocument> {
  const me = requireAuthenticated(caller);
  const requested = checkedProfile(command);
  const now = deps.clock.now();
  try {
    const updated = await deps.accounts.change(me.tenantId, me.accountId, (account) => {
      const next: Profile = { ...profileOf(account), ...requested };
      const changes = Object.fromEntries(
        (Object.keys(next) as (keyof Profile)[])
          .filter((field) => next[field] !== account[field])
          .map((field) => [field, { before: account[field], after: next[field] }]),
      );
      if (Object.keys(changes).length === 0) return undefined;
      return {
        changes: { ...next, updatedAt: now },
        events: [
          accountUpdated(
            { ...account, ...next },
            changes,
            { id: me.accountId, type: 'account', clientIp: me.clientIp, userAgent: me.userAgent },
            now,
          ),
        ],
      };
    });
    if (!updated) throw new NotFoundError('Account');
    return updated;
  } catch (error) {
    if (isDuplicateKeyError(error)) throw new ConflictError('HANDLE_TAKEN', 'That handle is already taken in this tenant.');
    throw error;
  }
}

function profileOf(account: AccountDocument): Profile {
  return {
    displayName: account.displayName,
    handle: account.handle,
    preferredLocale: account.preferredLocale,
    timeZone: account.timeZone,
  };
}

function checkedProfile(command: UpdateProfileCommand): Partial<Profile> {
  const profile: Partial<Profile> = {};
  if (command.displayName != null) {
    profile.displayName = normalizeDisplayText(command.displayName);
    const problem = displayTextProblem(profile.displayName, { min: 1, max: 80 });
    if (problem) throw new BadUserInputError(`displayName ${problem}.`, { field: 'displayName' });
  }
  if (command.handle != null) {
    profile.handle = command.handle.trim().toLowerCase();
    const problem = handleProblem(profile.handle);
    if (problem) throw new BadUserInputError(`handle ${problem}.`, { field: 'handle' });
  }
  if (command.preferredLocale !== undefined) {
    const locale = command.preferredLocale === null ? null : canonicalLocale(command.preferredLocale);
    if (locale === undefined)
      throw new BadUserInputError('preferredLocale must be a BCP 47 language tag, e.g. nb-NO.', { field: 'preferredLocale' });
    profile.preferredLocale = locale;
  }
  if (command.timeZone !== undefined) {
    const zone = command.timeZone === null ? null : knownTimeZone(command.timeZone);
    if (zone === undefined)
      throw new BadUserInputError('timeZone must be an IANA time zone, e.g. Europe/Oslo.', { field: 'timeZone' });
    profile.timeZone = zone;
  }
  return profile;
}
