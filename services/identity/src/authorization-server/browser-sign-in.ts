import { isDuplicateKeyError } from '@messngr/kit/mongo';
import type { VerifiedCode } from '../use-cases/complete-login';
import type { AuthorizationServerDependencies } from './authorization-server-dependencies';

/**
 * A hosted-page sign-in's record is found from what the authorization server keeps of it in
 * its browser session and codes: the account and the sign-in time (`auth_time`, in seconds).
 */
export function browserSignInId(accountId: string, authTime: number): string {
  return `bsi_${accountId}_${authTime}`;
}

const MAX_SAME_SECOND_SIGN_INS = 30;

/**
 * Records a sign-in on the hosted pages: the identity and provider used, so the sessions its
 * codes begin show them. Two sign-ins of one account in the same second take the next second.
 */
export async function recordBrowserSignIn(
  deps: Pick<AuthorizationServerDependencies, 'browserSignIns' | 'clock'>,
  verified: Pick<VerifiedCode, 'account' | 'identity'>,
): Promise<{ id: string; authTime: number }> {
  const now = deps.clock.now();
  const first = Math.floor(now.getTime() / 1000);
  for (let authTime = first; authTime < first + MAX_SAME_SECOND_SIGN_INS; authTime += 1) {
    const id = browserSignInId(verified.account._id, authTime);
    try {
      await deps.browserSignIns.insert(
        {
          _id: id,
          tenantId: verified.account.tenantId,
          accountId: verified.account._id,
          identity: { id: verified.identity.id, kind: verified.identity.kind, displayValue: verified.identity.displayValue },
          providerId: verified.identity.providerId,
          authenticatedAt: new Date(authTime * 1000),
          status: 'ACTIVE',
          createdAt: now,
          endedAt: null,
        },
        [],
      );
      return { id, authTime };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
  throw new Error('too many sign-ins of one account at once');
}
