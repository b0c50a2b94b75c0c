import { STARTING_TENANT_POLICY } from '@messngr/contracts';
import { BadUserInputError } from '@messngr/kit/errors';
import type { IdentityProviderKind } from './identity-provider';
import { checkedReturnUrls } from './return-urls';

export interface OtpSendLimits {
  perIdentifierPerHour: number;
  perIpPerHour: number;
  perTenantPerHour: number;
}

export interface TenantPolicy {
  allowedProviderKinds: IdentityProviderKind[];
  allowedProviderIds: string[] | null;
  allowPersonalProviders: boolean;
  allowPhoneIdentities: boolean;
  allowSignUp: boolean;
  /** Exact URLs (as `new URL(url).href` writes them) a browser may return to after upstream sign-in or linking. */
  allowedReturnUrls: string[];
  /** How recently (seconds) a session must have authenticated before it links or removes an identity (step-up). */
  reauthenticationMaxAgeSeconds: number;
  /** How many days the tenant's audit entries are kept before the audit subgraph deletes them. */
  auditRetentionDays: number;
  otpSendLimits: OtpSendLimits;
}

/** The bounds of `reauthenticationMaxAgeSeconds`: one minute to one day. */
export const REAUTHENTICATION_MAX_AGE_BOUNDS = { min: 60, max: 86_400 } as const;

/** The bounds of `auditRetentionDays`: one day to ten years. */
export const AUDIT_RETENTION_DAYS_BOUNDS = { min: 1, max: 3650 } as const;

/**
 * A policy as stored: tenants created before return URLs existed have none, and those created
 * before step-up existed have no reauthentication window.
 */
export type StoredTenantPolicy = Omit<
  TenantPolicy,
  'allowedReturnUrls' | 'reauthenticationMaxAgeSeconds' | 'auditRetentionDays'
> & {
  allowedReturnUrls?: string[];
  reauthenticationMaxAgeSeconds?: number;
  auditRetentionDays?: number;
};

/** The policy a stored one means: absent return URLs are none; an absent window is the starting one (600 s). */
export function tenantPolicyOf(stored: StoredTenantPolicy): TenantPolicy {
  return {
    ...stored,
    allowedReturnUrls: stored.allowedReturnUrls ?? [],
    reauthenticationMaxAgeSeconds: stored.reauthenticationMaxAgeSeconds ?? STARTING_TENANT_POLICY.reauthenticationMaxAgeSeconds,
    auditRetentionDays: stored.auditRetentionDays ?? STARTING_TENANT_POLICY.auditRetentionDays,
  };
}

export interface TenantPolicyChanges {
  allowedProviderKinds?: IdentityProviderKind[] | null;
  allowedProviderIds?: string[] | null;
  allowPersonalProviders?: boolean | null;
  allowPhoneIdentities?: boolean | null;
  allowSignUp?: boolean | null;
  allowedReturnUrls?: string[] | null;
  reauthenticationMaxAgeSeconds?: number | null;
  auditRetentionDays?: number | null;
  otpSendLimits?: Partial<Record<keyof OtpSendLimits, number | null>> | null;
}

/** The contracts hold it, so services keeping a copy of a tenant assume the same until they hear its policy. */
export const DEFAULT_TENANT_POLICY: TenantPolicy = tenantPolicyOf(STARTING_TENANT_POLICY);

/**
 * Applies policy changes and checks the result; throws BAD_USER_INPUT naming the field.
 * `allowInsecureLoopback` (outside production) admits http return URLs on loopback hosts.
 */
export function applyPolicyChanges(
  current: TenantPolicy,
  changes: TenantPolicyChanges,
  hasField: (name: string) => boolean,
  { allowInsecureLoopback }: { allowInsecureLoopback: boolean },
): TenantPolicy {
  const next: TenantPolicy = {
    ...current,
    allowedReturnUrls: [...current.allowedReturnUrls],
    otpSendLimits: { ...current.otpSendLimits },
  };
  if (changes.allowedProviderKinds != null) {
    const kinds = [...new Set(changes.allowedProviderKinds)];
    if (kinds.length === 0)
      throw new BadUserInputError('allowedProviderKinds must name at least one kind.', { field: 'allowedProviderKinds' });
    next.allowedProviderKinds = kinds;
  }
  if (hasField('allowedProviderIds')) {
    const ids = changes.allowedProviderIds;
    if (ids && ids.length === 0)
      throw new BadUserInputError('allowedProviderIds must not be empty; use null to allow all.', {
        field: 'allowedProviderIds',
      });
    next.allowedProviderIds = ids ? [...new Set(ids)] : null;
  }
  for (const flag of ['allowPersonalProviders', 'allowPhoneIdentities', 'allowSignUp'] as const) {
    const value = changes[flag];
    if (value != null) next[flag] = value;
  }
  if (changes.allowedReturnUrls != null) {
    next.allowedReturnUrls = checkedReturnUrls(changes.allowedReturnUrls, { allowInsecureLoopback });
  }
  if (changes.reauthenticationMaxAgeSeconds != null) {
    next.reauthenticationMaxAgeSeconds = checkedReauthenticationMaxAge(changes.reauthenticationMaxAgeSeconds);
  }
  if (changes.auditRetentionDays != null) {
    next.auditRetentionDays = checkedAuditRetentionDays(changes.auditRetentionDays);
  }
  for (const [key, value] of Object.entries(changes.otpSendLimits ?? {}) as [keyof OtpSendLimits, number | null][]) {
    if (value == null) continue;
    if (!Number.isInteger(value) || value < 1 || value > 10_000) {
      throw new BadUserInputError(`otpSendLimits.${key} must be 1 to 10000.`, { field: `otpSendLimits.${key}` });
    }
    next.otpSendLimits[key] = value;
  }
  return next;
}

/**
 * The step-up window: linking or removing an identity needs a session that authenticated at
 * most this many seconds ago (DESIGN §4). A whole number from one minute (shorter and people
 * sign in again mid-flow) to one day (longer and a stolen session is as good as a fresh one).
 */
function checkedReauthenticationMaxAge(seconds: number): number {
  const { min, max } = REAUTHENTICATION_MAX_AGE_BOUNDS;
  if (!Number.isInteger(seconds) || seconds < min || seconds > max) {
    throw new BadUserInputError(`reauthenticationMaxAgeSeconds must be a whole number from ${min} to ${max}.`, {
      field: 'reauthenticationMaxAgeSeconds',
    });
  }
  return seconds;
}

/** Audit retention: a whole number of days, from one day to ten years. */
function checkedAuditRetentionDays(days: number): number {
  const { min, max } = AUDIT_RETENTION_DAYS_BOUNDS;
  if (!Number.isInteger(days) || days < min || days > max) {
    throw new BadUserInputError(`auditRetentionDays must be a whole number from ${min} to ${max}.`, {
      field: 'auditRetentionDays',
    });
  }
  return days;
}

type ProviderRules = Pick<TenantPolicy, 'allowedProviderKinds' | 'allowedProviderIds' | 'allowPersonalProviders'>;

/** Whether the policy lets users use a provider at all (kind and personal rules). */
export function policyAllowsProvider(
  policy: ProviderRules,
  provider: { id: string; kind: IdentityProviderKind; personal: boolean },
): boolean {
  if (!policy.allowedProviderKinds.includes(provider.kind)) return false;
  if (provider.personal && !policy.allowPersonalProviders) return false;
  return true;
}

/** Stricter, for the default provider: it must also be on the allow-list when there is one. */
export function policyAllowsDefault(
  policy: ProviderRules,
  provider: { id: string; kind: IdentityProviderKind; personal: boolean },
): boolean {
  return (
    policyAllowsProvider(policy, provider) &&
    (policy.allowedProviderIds === null || policy.allowedProviderIds.includes(provider.id))
  );
}
