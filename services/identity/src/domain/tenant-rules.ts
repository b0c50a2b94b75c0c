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
