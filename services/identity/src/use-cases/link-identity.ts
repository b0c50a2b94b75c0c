import { DomainError, NotFoundError } from '@messngr/kit/errors';
import type { TenantId } from '@messngr/kit/core';
import type { EventActor } from '@messngr/kit/events';
import { claimValueOf, type StoredIdentity } from '../domain/identity';
import type { IdentityDependencies } from '../dependencies';
import { identityLinked, identityVerified } from '../events/identity-events-publisher';
import type { AccountDocument } from '../persistence/account.model';
import { badgeKeyOf } from './identity-badge';

export type LinkDependencies = Pick<IdentityDependencies, 'accounts' | 'claims' | 'providers' | 'clock'>;

const STALE_CLAIM_AFTER_MS = 60_000;

const ALREADY_LINKED = () =>
  new DomainError('IDENTITY_ALREADY_LINKED', 'That identity is already linked; it cannot be added to this account.', 409);

/**
 * Adds a proven identity to an account: its value (or issuer and subject) claimed in the
 * tenant first, so it is never on two accounts; then the account written with its events. A
 * value held by another account, or by this one already, is refused alike and says nothing
 * about the other account. The claim is given back if the account could not be written.
 */
export async function linkIdentity(
  deps: LinkDependencies,
  target: { tenantId: TenantId; accountId: string },
  identity: StoredIdentity,
  method: 'CODE' | 'PROVIDER',
  actor: EventActor,
): Promise<{ account: AccountDocument; identity: StoredIdentity }> {
  const value = claimValueOf(identity);
  if (!value) throw new Error('an identity to link needs a value or an issuer and subject');
  const now = deps.clock.now();
  if (!(await claimOrTakeOverStale(deps, target, identity, value, now))) throw ALREADY_LINKED();
  const badgeKey = await badgeKeyOf(deps.providers, identity);
  try {
    const account = await deps.accounts.change(target.tenantId, target.accountId, (current) => ({
      changes: { identities: [...current.identities, identity], updatedAt: now },
      events: [
        identityLinked(current, identity, badgeKey, method, actor, now),
        ...(identity.verified ? [identityVerified(current, identity, badgeKey, actor, now)] : []),
      ],
    }));
    if (!account) throw new NotFoundError('Account');
    return { account, identity };
  } catch (error) {
    await deps.claims.release(target.tenantId, identity.kind, value, target.accountId);
    throw error;
  }
}

/**
 * Claims the value; a claim whose account no longer holds the identity (its removal stopped
 * between the account write and giving the claim back) is stale and taken over.
 */
async function claimOrTakeOverStale(
  deps: LinkDependencies,
  target: { tenantId: TenantId; accountId: string },
  identity: StoredIdentity,
  value: string,
  now: Date,
): Promise<boolean> {
  if (await deps.claims.claim(target.tenantId, identity.kind, value, target.accountId, now)) return true;
  const claim = await deps.claims.findClaim(target.tenantId, identity.kind, value);
  if (!claim) return deps.claims.claim(target.tenantId, identity.kind, value, target.accountId, now);
  // A fresh claim may be an account being written right now (sign-up claims first): never stale.
  if (now.getTime() - claim.claimedAt.getTime() < STALE_CLAIM_AFTER_MS) return false;
  const holder = await deps.accounts.findById(target.tenantId, claim.accountId);
  const held = holder?.identities.some((candidate) => candidate.kind === identity.kind && claimValueOf(candidate) === value);
  if (held) return false;
  await deps.claims.release(target.tenantId, identity.kind, value, claim.accountId);
  return deps.claims.claim(target.tenantId, identity.kind, value, target.accountId, now);
}
