import { timingSafeEqual } from 'node:crypto';
import {
  flowIdOfState,
  isExpired,
  returnLocation,
  type ProviderFlowFailure,
  type ProviderFlowOutcome,
  type UpstreamIdentity,
} from '../domain/provider-flow';
import { policyOf, providerRefusal } from '../domain/tenant-rules';
import type { ProviderLoginDependencies } from '../dependencies';
import type { ProviderFlowDocument } from '../persistence/provider-flow.model';
import type { FlowChecks } from '../upstream/relying-party';
import { UpstreamFailure } from '../upstream/upstream-failure';
import { providerFlowChecksContext } from './start-provider-login';
import { accountForUpstream } from './upstream-account';
import { upstreamProviderOf } from './upstream-provider-lookup';

/** Where the callback sends the browser: back to the flow's return URL, or (no flow of ours) an error page. */
export type CallbackAnswer = { redirectTo: string } | { refused: ProviderFlowFailure };

/**
 * The provider's redirect back to `{issuer}/callback`, handled server-side: the flow found by
 * its state and proven by it, the code exchanged and the ID token validated, the account found
 * by (issuer, subject) or created, and the browser sent to the flow's `returnTo` with only the
 * flow id and the outcome. A callback that proves no waiting flow changes nothing.
 */
export async function handleProviderCallback(
  deps: ProviderLoginDependencies,
  slug: string,
  callbackUrl: URL,
): Promise<CallbackAnswer> {
  const now = deps.clock.now();
  const state = callbackUrl.searchParams.get('state');
  const flowId = flowIdOfState(state);
  const flow = flowId ? await deps.providerFlows.findById(flowId) : null;
  const tenant = flow ? await deps.tenants.findCached(flow.tenantId) : null;
  if (!flow || !tenant || tenant.slug !== slug) return { refused: 'INVALID_STATE' };
  const checks = JSON.parse(deps.secretBox.open(flow.checks, providerFlowChecksContext(flow._id))) as FlowChecks;
  if (!state || !sameSecret(state, checks.state)) return { refused: 'INVALID_STATE' };
  // A replayed callback: the flow has moved on, and stays as it is.
  if (flow.state !== 'STARTED') return { redirectTo: returnLocation(flow.returnTo, flow._id, 'INVALID_STATE') };
  if (isExpired(flow, now)) return fail(deps, flow, 'FLOW_EXPIRED');

  const provider = await upstreamProviderOf(deps.providers, flow.tenantId, flow.providerId);
  if (!provider) return fail(deps, flow, 'PROVIDER_DISABLED');
  const refusal = tenant.status === 'ACTIVE' ? providerRefusal(policyOf(tenant), provider) : 'TENANT_SUSPENDED';
  if (refusal) return fail(deps, flow, refusal);

  let upstream: UpstreamIdentity;
  try {
    upstream = await deps.relyingParty.exchange(provider, responseUrl(flow, callbackUrl), checks);
  } catch (error) {
    if (error instanceof UpstreamFailure) return fail(deps, flow, error.code);
    throw error;
  }
  let outcome: ProviderFlowOutcome;
  try {
    const { account, identity, created } = await accountForUpstream(deps, flow, upstream, now);
    if (account.status !== 'ACTIVE') return fail(deps, flow, 'ACCOUNT_DISABLED');
    outcome = { accountId: account._id, identityId: identity.id, accountCreated: created };
  } catch (error) {
    if (error instanceof UpstreamFailure) return fail(deps, flow, error.code);
    throw error;
  }
  let won = false;
  await deps.providerFlows.change(flow._id, (current) => {
    if (current.state !== 'STARTED') return undefined;
    won = true;
    return { changes: { state: 'AUTHENTICATED', upstream, outcome }, events: [] };
  });
  return { redirectTo: returnLocation(flow.returnTo, flow._id, won ? 'SUCCEEDED' : 'INVALID_STATE') };
}

async function fail(
  deps: ProviderLoginDependencies,
  flow: ProviderFlowDocument,
  failure: ProviderFlowFailure,
): Promise<CallbackAnswer> {
  await deps.providerFlows.change(flow._id, (current) =>
    current.state === 'STARTED' ? { changes: { state: 'FAILED', failure }, events: [] } : undefined,
  );
  return { redirectTo: returnLocation(flow.returnTo, flow._id, failure) };
}

/** The authorization response as the provider addressed it: our redirect URI with the parameters it sent. */
function responseUrl(flow: ProviderFlowDocument, callbackUrl: URL): URL {
  const url = new URL(flow.redirectUri);
  url.search = callbackUrl.search;
  return url;
}

function sameSecret(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
