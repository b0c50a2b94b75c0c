import { verifiedIdentity, type StoredIdentity } from './identity';

/**
 * A round trip through an upstream provider. For a sign-in, from startProviderLogin until
 * completeProviderLogin:
 *
 *   STARTED ──callback ok──▶ AUTHENTICATED ──completeProviderLogin──▶ COMPLETED
 *      └──callback refused──▶ FAILED
 *
 * For linking the provider account to a signed-in account, or confirming it is them again
 * (REAUTH), the callback does the work: STARTED ──▶ COMPLETED | FAILED, or CANCELLED by the
 * owner before that.
 *
 * Expiry is checked on every read (`expiresAt`), never stored as a state. What proves the
 * callback and the completion belong to this flow (the state, nonce and PKCE verifier, and
 * the completion secret's hash) never leaves the server.
 */
export type ProviderFlowState = 'STARTED' | 'AUTHENTICATED' | 'COMPLETED' | 'FAILED' | 'CANCELLED';

export type ProviderFlowPurpose = 'SIGN_IN' | 'LINK' | 'REAUTH';

/** Why a flow failed: a closed list, each an `extensions.code` and the `outcome` the browser is sent back with. */
export const PROVIDER_FLOW_FAILURES = [
  'INVALID_STATE',
  'ISSUER_MISMATCH',
  'INVALID_ID_TOKEN',
  'UPSTREAM_DENIED',
  'UPSTREAM_REFUSED',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_INVALID_RESPONSE',
  'SIGN_UP_NOT_ALLOWED',
  'ACCOUNT_DISABLED',
  'TENANT_SUSPENDED',
  'PROVIDER_DISABLED',
  'POLICY_FORBIDS_PROVIDER',
  'FLOW_EXPIRED',
  'IDENTITY_ALREADY_LINKED',
  'REAUTH_REQUIRED',
  'HOSTED_DOMAIN_NOT_ALLOWED',
] as const;
export type ProviderFlowFailure = (typeof PROVIDER_FLOW_FAILURES)[number];

/** How long the user has at the provider; a flow's other steps are immediate. */
export const PROVIDER_FLOW_TTL_MS = 10 * 60_000;

/** The upstream identity a callback proved, as the flow keeps it until completion. */
export interface UpstreamIdentity {
  kind: 'OIDC' | 'OAUTH2';
  issuer: string;
  subject: string;
  /** What people see, e.g. GitHub's login ("mikalv") or the email the provider shows. */
  displayValue: string;
  name: string | null;
}

export interface ProviderFlowOutcome {
  accountId: string;
  identityId: string;
  accountCreated: boolean;
}

export function isExpired(flow: { expiresAt: Date }, now: Date): boolean {
  return flow.expiresAt.getTime() <= now.getTime();
}

/** The `state` parameter: the flow's id (to find it with one read by `_id`) and a secret proving it. */
export function stateParameter(flowId: string, secret: string): string {
  return `${flowId}.${secret}`;
}

export function flowIdOfState(state: string | null | undefined): string | null {
  if (!state || state.length > 300) return null;
  const dot = state.indexOf('.');
  return dot > 0 ? state.slice(0, dot) : null;
}

/** Where the browser goes after the callback: the flow's own return URL, carrying only the flow id and the outcome. */
export function returnLocation(returnTo: string, flowId: string, outcome: 'SUCCEEDED' | ProviderFlowFailure): string {
  const url = new URL(returnTo);
  url.searchParams.set('flow', flowId);
  url.searchParams.set('outcome', outcome);
  return url.href;
}

/**
 * An interaction of the tenant's own authorization server (its hosted sign-in pages) is a
 * return URL of every flow of the tenant, without being in its policy's list.
 */
export function isHostedPageReturn(issuer: string, returnTo: string): boolean {
  const prefix = `${issuer}/interaction/`;
  const suffix = '/provider-return';
  if (!returnTo.startsWith(prefix) || !returnTo.endsWith(suffix)) return false;
  return /^[A-Za-z0-9_-]{1,64}$/.test(returnTo.slice(prefix.length, -suffix.length));
}

/** The cookie binding a flow to the browser that started it (see the kit's cookie relay): one per flow. */
export function bindingCookieName(flowId: string): string {
  return `mfl_${flowId}`;
}

/** The identity an upstream round proved: keyed by issuer and subject, verified by the provider's word. */
export function identityFromUpstream(upstream: UpstreamIdentity, providerId: string, now: Date): StoredIdentity {
  const { kind, issuer, subject, displayValue } = upstream;
  return verifiedIdentity({ kind, providerId, issuer, subject, displayValue }, now);
}
