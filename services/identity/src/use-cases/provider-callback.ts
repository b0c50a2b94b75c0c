import { DomainError } from '@messngr/kit/errors';
import { sameSecret, secretHash } from '../domain/flow-secrets';
import {
  bindingCookieName,
  flowIdOfState,
  identityFromUpstream,
  isExpired,
  returnLocation,
  type ProviderFlowFailure,
  type UpstreamIdentity,
} from '../domain/provider-flow';
import { policyOf, providerRefusal } from '../domain/tenant-rules';
import type { ProviderLoginDependencies } from '../dependencies';
import type { ProviderFlowDocument } from '../persistence/provider-flow.model';
import type { FlowChecks } from '../upstream/relying-party';
import { UpstreamFailure } from '../upstream/upstream-failure';
import { providerFlowChecksContext } from './begin-provider-flow';
import { linkIdentity } from './link-identity';
import { markReauthenticated } from './step-up';
import { accountForUpstream } from './upstream-account';
import { upstreamProviderOf } from './upstream-provider-lookup';

/** Where the callback sends the browser: back to the flow's return URL, or (no flow of ours) an error page. */
export type CallbackAnswer = { redirectTo: string; clearCookie: string } | { refused: ProviderFlowFailure };

type Done = Pick<ProviderFlowDocument, 'state' | 'upstream' | 'outcome' | 'linkedIdentityId'>;

/**
 * The provider's redirect back to `{issuer}/callback`, handled server-side: the flow found by
 * its state and proven by it and by the starting browser's flow cookie; the code exchanged and
 * the ID token validated; then, by purpose, the account found by (issuer, subject) or created
 * (sign-in), the identity linked to the flow's owner (link), or the owner's session marked as
 * freshly authenticated (re-authentication). The browser goes on to the flow's `returnTo` with
 * only the flow id and the outcome. A callback that proves no waiting flow changes nothing.
 */
export async function handleProviderCallback(
  deps: ProviderLoginDependencies,
  slug: string,
  callbackUrl: URL,
  cookies: ReadonlyMap<string, string>,
): Promise<CallbackAnswer> {
  const now = deps.clock.now();
  const state = callbackUrl.searchParams.get('state');
  const flowId = flowIdOfState(state);
  const flow = flowId ? await deps.providerFlows.findById(flowId) : null;
  const tenant = flow ? await deps.tenants.findCached(flow.tenantId) : null;
  if (!flow || !tenant || tenant.slug !== slug) return { refused: 'INVALID_STATE' };
  const checks = JSON.parse(deps.secretBox.open(flow.checks, providerFlowChecksContext(flow._id))) as FlowChecks;
  if (!state || !sameSecret(state, checks.state)) return { refused: 'INVALID_STATE' };
  const binding = cookies.get(bindingCookieName(flow._id));
  if (!binding || !sameSecret(secretHash(binding), flow.browserBindingHash)) return { refused: 'INVALID_STATE' };
  const back = (outcome: 'SUCCEEDED' | ProviderFlowFailure) => ({
    redirectTo: returnLocation(flow.returnTo, flow._id, outcome),
    clearCookie: bindingCookieName(flow._id),
  });
  // A replayed callback: the flow has moved on, and stays as it is.
  if (flow.state !== 'STARTED') return back('INVALID_STATE');
  if (isExpired(flow, now)) return fail(deps, flow, 'FLOW_EXPIRED', back);

  const provider = await upstreamProviderOf(deps.providers, flow.tenantId, flow.providerId);
  if (!provider) return fail(deps, flow, 'PROVIDER_DISABLED', back);
  const refusal = tenant.status === 'ACTIVE' ? providerRefusal(policyOf(tenant), provider) : 'TENANT_SUSPENDED';
  if (refusal) return fail(deps, flow, refusal, back);

  let done: Done;
  try {
    const upstream = await deps.relyingParty.exchange(provider, responseUrl(flow, callbackUrl), checks);
    done = await finish(deps, flow, upstream, now);
  } catch (error) {
    if (error instanceof UpstreamFailure) return fail(deps, flow, error.code, back);
    if (error instanceof DomainError && isFlowFailure(error.code)) return fail(deps, flow, error.code, back);
    throw error;
  }
  let won = false;
  await deps.providerFlows.change(flow._id, (current) => {
    // Decided again on every retry: only the attempt that writes wins.
    won = current.state === 'STARTED';
    return won ? { changes: done, events: [] } : undefined;
  });
  if (won && flow.purpose === 'LINK') {
    deps.metrics.linkAttempt('PROVIDER', 'LINKED');
    deps.metrics.linkVerified('PROVIDER', flow.issuedAt, now);
  }
  return back(won ? 'SUCCEEDED' : 'INVALID_STATE');
}

/** What the flow's purpose does with the identity the provider proved. */
async function finish(
  deps: ProviderLoginDependencies,
  flow: ProviderFlowDocument,
  upstream: UpstreamIdentity,
  now: Date,
): Promise<Done> {
  if (flow.purpose === 'SIGN_IN') {
    const { account, identity, created } = await accountForUpstream(deps, flow, upstream, now);
    if (account.status !== 'ACTIVE') throw new UpstreamFailure('ACCOUNT_DISABLED');
    return {
      state: 'AUTHENTICATED',
      upstream,
      outcome: { accountId: account._id, identityId: identity.id, accountCreated: created },
      linkedIdentityId: null,
    };
  }
  const owner = flow.owner;
  if (!owner) throw new UpstreamFailure('INVALID_STATE');
  const actor = { id: owner.accountId, type: 'account' as const, clientIp: flow.clientIp, userAgent: flow.userAgent };
  if (flow.purpose === 'REAUTH') {
    const account = await deps.accounts.findById(flow.tenantId, owner.accountId);
    const own = account?.identities.some(
      (identity) => identity.verified && identity.issuer === upstream.issuer && identity.subject === upstream.subject,
    );
    // Another person's provider account proves nothing about this session's owner.
    if (!own) throw new UpstreamFailure('REAUTH_REQUIRED');
    await markReauthenticated(deps, flow.tenantId, owner, now);
    return { state: 'COMPLETED', upstream, outcome: null, linkedIdentityId: null };
  }
  const identity = identityFromUpstream(upstream, flow.providerId, now);
  await linkIdentity(deps, { tenantId: flow.tenantId, accountId: owner.accountId }, identity, 'PROVIDER', actor);
  return { state: 'COMPLETED', upstream, outcome: null, linkedIdentityId: identity.id };
}

async function fail<Answer>(
  deps: ProviderLoginDependencies,
  flow: ProviderFlowDocument,
  failure: ProviderFlowFailure,
  back: (outcome: ProviderFlowFailure) => Answer,
): Promise<Answer> {
  await deps.providerFlows.change(flow._id, (current) =>
    current.state === 'STARTED' ? { changes: { state: 'FAILED', failure }, events: [] } : undefined,
  );
  if (UPSTREAM_FAILURES.has(failure)) deps.metrics.upstreamFailure(flow.providerId, failure);
  if (flow.purpose === 'LINK') deps.metrics.linkAttempt('PROVIDER', failure);
  return back(failure);
}

/** Failures that say something about the provider (not about the person or the tenant's rules). */
const UPSTREAM_FAILURES: ReadonlySet<ProviderFlowFailure> = new Set([
  'ISSUER_MISMATCH',
  'INVALID_ID_TOKEN',
  'UPSTREAM_REFUSED',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_INVALID_RESPONSE',
]);

function isFlowFailure(code: string): code is ProviderFlowFailure {
  return code === 'IDENTITY_ALREADY_LINKED' || code === 'ACCOUNT_DISABLED' || code === 'TENANT_SUSPENDED';
}

/** The authorization response as the provider addressed it: our redirect URI with the parameters it sent. */
function responseUrl(flow: ProviderFlowDocument, callbackUrl: URL): URL {
  const url = new URL(flow.redirectUri);
  url.search = callbackUrl.search;
  return url;
}
