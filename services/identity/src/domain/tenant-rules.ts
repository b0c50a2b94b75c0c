import { STARTING_SESSION_COOKIE, STARTING_SESSION_LIFETIMES, STARTING_TENANT_POLICY, type TenantPolicyData } from '@messngr/contracts';
import type { TenantReplicaDocument } from '../persistence/tenant-replica.model';
import type { SessionLifetimes } from './session';

export function policyOf(tenant: Pick<TenantReplicaDocument, 'policy'>): TenantPolicyData {
  return tenant.policy ?? STARTING_TENANT_POLICY;
}

export function sessionLifetimesOf(tenant: Pick<TenantReplicaDocument, 'sessionLifetimes'>): SessionLifetimes {
  const lifetimes = tenant.sessionLifetimes ?? STARTING_SESSION_LIFETIMES;
  return { idleMs: lifetimes.sessionTtlSeconds * 1000, absoluteMs: lifetimes.refreshTokenAbsoluteLifetimeSeconds * 1000 };
}

export function sessionCookieOf(tenant: Pick<TenantReplicaDocument, 'sessionCookie'>): { name: string; domain: string | null } {
  return tenant.sessionCookie ?? STARTING_SESSION_COOKIE;
}

/** Why a tenant's provider may not be used to sign in right now, if it may not. */
export function providerRefusal(
  policy: TenantPolicyData,
  provider: { _id: string; kind: 'NATIVE' | 'OIDC' | 'OAUTH2'; enabled: boolean; personal: boolean },
): 'PROVIDER_DISABLED' | 'POLICY_FORBIDS_PROVIDER' | null {
  if (!provider.enabled) return 'PROVIDER_DISABLED';
  if (!policy.allowedProviderKinds.includes(provider.kind)) return 'POLICY_FORBIDS_PROVIDER';
  if (policy.allowedProviderIds && !policy.allowedProviderIds.includes(provider._id)) return 'POLICY_FORBIDS_PROVIDER';
  if (provider.personal && !policy.allowPersonalProviders) return 'POLICY_FORBIDS_PROVIDER';
  return null;
}

/** Return URLs match exactly, character for character: no prefixes, no patterns. */
export function isAllowedReturnUrl(policy: TenantPolicyData, returnTo: string): boolean {
  return (policy.allowedReturnUrls ?? []).includes(returnTo);
}
