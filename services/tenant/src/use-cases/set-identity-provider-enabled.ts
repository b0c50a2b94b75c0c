import { requireAuthenticated, type Caller } from '@messngr/kit/auth';
import { ConflictError } from '@messngr/kit/errors';
import type { IdentityProviderView } from '../domain/identity-provider';
import { policyAllowsProvider } from '../domain/tenant-policy';
import { identityProviderEvent } from '../events/tenant-events-publisher';
import type { TenantDependencies } from '../dependencies';
import { changeIdentityProvider } from './change-identity-provider';

/** Enabling or disabling twice changes nothing; the default provider stays enabled. */
export async function setIdentityProviderEnabled(
  deps: TenantDependencies,
  caller: Caller,
  command: { id: string; enabled: boolean },
): Promise<IdentityProviderView> {
  const actor = requireAuthenticated(caller);
  return changeIdentityProvider(deps, caller, command.id, (provider, tenant) => {
    if (provider.enabled === command.enabled) return undefined;
    if (!command.enabled && tenant?.defaultProviderId === provider.id) {
      throw new ConflictError(
        'DEFAULT_PROVIDER_REQUIRED',
        'The default provider cannot be disabled; choose another default first.',
      );
    }
    if (command.enabled && tenant && !policyAllowsProvider(tenant.policy, provider)) {
      throw new ConflictError('POLICY_FORBIDS_PROVIDER', "The tenant's policy does not allow this provider.");
    }
    const now = deps.clock.now();
    const next = { ...provider, enabled: command.enabled, updatedAt: now };
    return {
      provider: next,
      events: [
        identityProviderEvent(
          command.enabled ? 'enabled' : 'disabled',
          next,
          tenant?._id ?? null,
          actor,
          now,
          deps.providerSecretBoxes,
        ),
      ],
    };
  });
}
