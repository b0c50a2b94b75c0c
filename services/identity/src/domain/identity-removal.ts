import type { StoredIdentity } from './identity';

/** A removal waits this long for its confirmation. */
export const REMOVAL_CONFIRMATION_TTL_MS = 10 * 60_000;

export type RemovalFlowState = 'REQUESTED' | 'CONFIRMED' | 'CANCELLED' | 'FAILED';

export type RemovalDecision =
  { removed: StoredIdentity; remaining: StoredIdentity[] } | { refusal: 'NOT_FOUND' | 'LAST_VERIFIED_IDENTITY' };

/**
 * Whether an identity may go: only while another verified identity stays. Decided on the
 * account's identities as read for one version-guarded write, so two removals racing for the
 * last two verified identities cannot both pass: the second is decided again on what the
 * first left.
 */
export function decideRemoval(identities: readonly StoredIdentity[], identityId: string): RemovalDecision {
  const removed = identities.find((identity) => identity.id === identityId);
  if (!removed) return { refusal: 'NOT_FOUND' };
  const remaining = identities.filter((identity) => identity.id !== identityId);
  if (!remaining.some((identity) => identity.verified)) return { refusal: 'LAST_VERIFIED_IDENTITY' };
  return { removed, remaining };
}

/** A compromised identity goes whatever is left: the account may then only be recovered. */
export function decideRevocation(identities: readonly StoredIdentity[], identityId: string): RemovalDecision {
  const removed = identities.find((identity) => identity.id === identityId);
  if (!removed) return { refusal: 'NOT_FOUND' };
  return { removed, remaining: identities.filter((identity) => identity.id !== identityId) };
}
