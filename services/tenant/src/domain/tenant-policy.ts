import { STARTING_TENANT_POLICY } from '@messngr/contracts';
import { BadUserInputError } from '@messngr/kit/errors';
import type { IdentityProviderKind } from './identity-provider';

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
  otpSendLimits: OtpSendLimits;
}

export interface TenantPolicyChanges {
  allowedProviderKinds?: IdentityProviderKind[] | null;
  allowedProviderIds?: string[] | null;
  allowPersonalProviders?: boolean | null;
  allowPhoneIdentities?: boolean | null;
  allowSignUp?: boolean | null;
  otpSendLimits?: Partial<Record<keyof OtpSendLimits, number | null>> | null;
}

/** The contracts hold it, so services keeping a copy of a tenant assume the same until they hear its policy. */
export const DEFAULT_TENANT_POLICY: TenantPolicy = STARTING_TENANT_POLICY;

/** Applies policy changes and checks the result; throws BAD_USER_INPUT naming the field. */
export function applyPolicyChanges(
  current: TenantPolicy,
  changes: TenantPolicyChanges,
  hasField: (name: string) => boolean,
): TenantPolicy {
  const next: TenantPolicy = { ...current, otpSendLimits: { ...current.otpSendLimits } };
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
  for (const [key, value] of Object.entries(changes.otpSendLimits ?? {}) as [keyof OtpSendLimits, number | null][]) {
    if (value == null) continue;
    if (!Number.isInteger(value) || value < 1 || value > 10_000) {
      throw new BadUserInputError(`otpSendLimits.${key} must be 1 to 10000.`, { field: `otpSendLimits.${key}` });
    }
    next.otpSendLimits[key] = value;
  }
  return next;
}

/** Whether the policy lets users use a provider at all (kind and personal rules). */
export function policyAllowsProvider(
  policy: TenantPolicy,
  provider: { id: string; kind: IdentityProviderKind; personal: boolean },
): boolean {
  if (!policy.allowedProviderKinds.includes(provider.kind)) return false;
  if (provider.personal && !policy.allowPersonalProviders) return false;
  return true;
}

/** Stricter, for the default provider: it must also be on the allow-list when there is one. */
export function policyAllowsDefault(
  policy: TenantPolicy,
  provider: { id: string; kind: IdentityProviderKind; personal: boolean },
): boolean {
  return (
    policyAllowsProvider(policy, provider) &&
    (policy.allowedProviderIds === null || policy.allowedProviderIds.includes(provider.id))
  );
}
