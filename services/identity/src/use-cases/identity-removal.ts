import { randomBytes } from 'node:crypto';
import type { Caller } from '@messngr/kit/auth';
import { newCapabilityId } from '@messngr/kit/core';
import { DomainError, NotFoundError } from '@messngr/kit/errors';
import type { EventActor } from '@messngr/kit/events';
import { sameSecret, secretHash } from '../domain/flow-secrets';
import { claimValueOf, type StoredIdentity } from '../domain/identity';
import { decideRemoval, REMOVAL_CONFIRMATION_TTL_MS } from '../domain/identity-removal';
import type { IdentityDependencies } from '../dependencies';
import { identityRemovalRequested, identityRemoved } from '../events/identity-events-publisher';
import type { IdentityRemovalDocument } from '../persistence/identity-removal.model';
import { badgeKeyOf } from './identity-badge';
import { currentSession, requireRecentAuthentication } from './step-up';

export interface RequestedRemoval {
  removal: IdentityRemovalDocument;
  /** Shown once: confirmIdentityRemoval needs it. */
  confirmation: string;
}

/**
 * The first of two steps to remove an identity from the caller's account (a recent sign-in
 * required): a removal request and a one-time confirmation. Refused at once if the identity
 * is the last verified one, and decided again, atomically, on confirmation.
 */
export async function requestIdentityRemoval(
  deps: IdentityDependencies,
  caller: Caller,
  command: { identityId: string },
): Promise<RequestedRemoval> {
  const { me } = await requireRecentAuthentication(deps, caller);
  const account = await deps.accounts.findById(me.tenantId, me.accountId);
  if (!account) throw new NotFoundError('Account');
  const decision = decideRemoval(account.identities, command.identityId);
  if ('refusal' in decision) throw refusalError(decision.refusal);
  const now = deps.clock.now();
  const confirmation = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + REMOVAL_CONFIRMATION_TTL_MS);
  const badgeKey = await badgeKeyOf(deps.providers, decision.removed);
  const removal = await deps.identityRemovals.insert(
    {
      _id: newCapabilityId('rmv'),
      tenantId: me.tenantId,
      accountId: me.accountId,
      sessionId: me.sessionId,
      identityId: decision.removed.id,
      confirmationHash: secretHash(confirmation),
      state: 'REQUESTED',
      failure: null,
      issuedAt: now,
      expiresAt,
    },
    [identityRemovalRequested(account, decision.removed, badgeKey, expiresAt, actorOf(caller, me.accountId), now)],
  );
  return { removal, confirmation };
}

/**
 * Confirms a removal: the identity goes only if another verified identity remains, decided
 * inside the account document by one version-guarded write (of two removals racing for the
 * last two verified identities, exactly one succeeds). Its claim is given back afterwards.
 */
export async function confirmIdentityRemoval(
  deps: IdentityDependencies,
  caller: Caller,
  command: { removalId: string; confirmation: string },
): Promise<{ removal: IdentityRemovalDocument; removed: StoredIdentity }> {
  const { me } = await requireRecentAuthentication(deps, caller);
  const removal = await deps.identityRemovals.findById(command.removalId);
  if (!removal || removal.accountId !== me.accountId || removal.tenantId !== me.tenantId || removal.sessionId !== me.sessionId) {
    throw new NotFoundError('Removal');
  }
  if (!sameSecret(secretHash(command.confirmation), removal.confirmationHash)) throw new NotFoundError('Removal');
  const now = deps.clock.now();
  if (removal.state !== 'REQUESTED') throw new DomainError('INVALID_STATE', 'This removal was confirmed or cancelled already.');
  if (removal.expiresAt.getTime() <= now.getTime()) throw new DomainError('FLOW_EXPIRED', 'The removal expired; ask again.');

  let removed: StoredIdentity | undefined;
  const actor = actorOf(caller, me.accountId);
  const badgeKey = await badgeKeyFor(deps, me, removal.identityId);
  try {
    await deps.accounts.change(me.tenantId, me.accountId, (current) => {
      const decision = decideRemoval(current.identities, removal.identityId);
      if ('refusal' in decision) throw refusalError(decision.refusal);
      removed = decision.removed;
      return {
        changes: { identities: decision.remaining, updatedAt: now },
        events: [identityRemoved(current, decision.removed, badgeKey, actor, now)],
      };
    });
  } catch (error) {
    if (error instanceof DomainError) await settle(deps, removal, 'FAILED', error.code);
    throw error;
  }
  if (!removed) throw new NotFoundError('Identity');
  const value = claimValueOf(removed);
  if (value) await deps.claims.release(me.tenantId, removed.kind, value, me.accountId);
  deps.metrics.identityGone('REMOVED');
  return { removal: (await settle(deps, removal, 'CONFIRMED', null)) ?? removal, removed };
}

/** The owner gives up a removal request. */
export async function cancelIdentityRemoval(
  deps: IdentityDependencies,
  caller: Caller,
  command: { removalId: string },
): Promise<IdentityRemovalDocument> {
  const { me } = await currentSession(deps, caller);
  const removal = await deps.identityRemovals.findById(command.removalId);
  if (!removal || removal.accountId !== me.accountId || removal.tenantId !== me.tenantId) throw new NotFoundError('Removal');
  return (await settle(deps, removal, 'CANCELLED', null)) ?? removal;
}

function settle(
  deps: IdentityDependencies,
  removal: IdentityRemovalDocument,
  state: 'CONFIRMED' | 'CANCELLED' | 'FAILED',
  failure: string | null,
): Promise<IdentityRemovalDocument | undefined> {
  return deps.identityRemovals.change(removal._id, (current) =>
    current.state === 'REQUESTED' ? { changes: { state, failure }, events: [] } : undefined,
  );
}

async function badgeKeyFor(
  deps: IdentityDependencies,
  me: { tenantId: IdentityRemovalDocument['tenantId']; accountId: string },
  identityId: string,
) {
  const account = await deps.accounts.findById(me.tenantId, me.accountId);
  const identity = account?.identities.find((candidate) => candidate.id === identityId);
  return identity ? badgeKeyOf(deps.providers, identity) : 'generic';
}

function refusalError(refusal: 'NOT_FOUND' | 'LAST_VERIFIED_IDENTITY'): DomainError {
  if (refusal === 'NOT_FOUND') return new NotFoundError('Identity');
  return new DomainError('LAST_VERIFIED_IDENTITY', 'The account must keep at least one verified identity.', 409);
}

function actorOf(caller: Caller, accountId: string): EventActor {
  return { id: accountId, type: 'account', clientIp: caller.clientIp, userAgent: caller.userAgent };
}
