import { displayTextProblem, normalizeDisplayText } from '@messngr/kit/core';
import { upstreamClaimValue, type StoredIdentity } from '../domain/identity';
import { identityFromUpstream, type UpstreamIdentity } from '../domain/provider-flow';
import { policyOf } from '../domain/tenant-rules';
import type { ProviderLoginDependencies } from '../dependencies';
import type { AccountDocument } from '../persistence/account.model';
import type { ProviderFlowDocument } from '../persistence/provider-flow.model';
import { UpstreamFailure } from '../upstream/upstream-failure';
import { IdentityAlreadyClaimed, insertAccount } from './create-account';

/**
 * The account an upstream identity belongs to, found by (tenant, issuer, subject) alone; a new
 * one where the tenant allows sign-up. Never an account found by an email the provider reports.
 */
export async function accountForUpstream(
  deps: ProviderLoginDependencies,
  flow: ProviderFlowDocument,
  upstream: UpstreamIdentity,
  now: Date,
): Promise<{ account: AccountDocument; identity: StoredIdentity; created: boolean }> {
  const value = upstreamClaimValue(upstream.issuer, upstream.subject);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const claim = await deps.claims.findClaim(flow.tenantId, upstream.kind, value);
    if (claim) {
      const account = await deps.accounts.findById(flow.tenantId, claim.accountId);
      const identity = account?.identities.find((candidate) => isThisIdentity(candidate, upstream));
      if (account && identity) return { account, identity, created: false };
    }
    const tenant = await deps.tenants.findCached(flow.tenantId);
    if (!tenant || !policyOf(tenant).allowSignUp) throw new UpstreamFailure('SIGN_UP_NOT_ALLOWED');
    const identity = identityFromUpstream(upstream, flow.providerId, now);
    try {
      const account = await insertAccount(
        deps,
        { tenantId: flow.tenantId, displayName: displayNameFrom(upstream), identity },
        { type: 'account', clientIp: flow.clientIp, userAgent: flow.userAgent },
      );
      return { account, identity, created: true };
    } catch (error) {
      // The same person's first sign-in finished a moment earlier elsewhere: theirs is the account.
      if (!(error instanceof IdentityAlreadyClaimed)) throw error;
    }
  }
  throw new UpstreamFailure('UPSTREAM_INVALID_RESPONSE');
}

function isThisIdentity(candidate: StoredIdentity, upstream: UpstreamIdentity): boolean {
  return candidate.kind === upstream.kind && candidate.issuer === upstream.issuer && candidate.subject === upstream.subject;
}

/** The provider's name for the person if it makes a valid display name, else the login; people change it later. */
function displayNameFrom(upstream: UpstreamIdentity): string {
  for (const candidate of [upstream.name, upstream.displayValue]) {
    const name = candidate ? normalizeDisplayText(candidate).slice(0, 80) : '';
    if (name && !displayTextProblem(name, { min: 1, max: 80 })) return name;
  }
  return 'New user';
}
