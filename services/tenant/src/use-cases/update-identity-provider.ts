import { requireAuthenticated, type Caller } from '@messngr/kit/auth';
import { clientSecretContext, type IdentityProviderView } from '../domain/identity-provider';
import { checkedClientSecret, checkedProviderSettings, type ProviderSettingsInput } from '../domain/provider-settings';
import { policyAllowsProvider } from '../domain/tenant-policy';
import { fieldChanges, identityProviderUpdated } from '../events/tenant-events-publisher';
import type { TenantDependencies } from '../dependencies';
import { ConflictError } from '@messngr/kit/errors';
import { changeIdentityProvider } from './change-identity-provider';

export interface UpdateIdentityProviderCommand extends Omit<ProviderSettingsInput, 'kind'> {
  id: string;
  clientSecret?: string | null;
}

/** Kind and shared origin are fixed once registered; a new client secret replaces the old. */
export async function updateIdentityProvider(
  deps: TenantDependencies,
  caller: Caller,
  command: UpdateIdentityProviderCommand,
): Promise<IdentityProviderView> {
  const actor = requireAuthenticated(caller);
  const { id, clientSecret, ...input } = command;
  return changeIdentityProvider(deps, caller, id, (provider, tenant) => {
    const settings = checkedProviderSettings(provider, input, {
      allowInsecureLoopback: deps.allowInsecureLoopback,
      credentialsRequired: tenant !== null,
    });
    const now = deps.clock.now();
    const next = {
      ...provider,
      ...settings,
      sealedClientSecret:
        clientSecret == null
          ? provider.sealedClientSecret
          : deps.secretBox.seal(checkedClientSecret(clientSecret), clientSecretContext(id)),
      updatedAt: now,
    };
    if (tenant && next.enabled && !policyAllowsProvider(tenant.policy, next)) {
      throw new ConflictError('POLICY_FORBIDS_PROVIDER', "The tenant's policy does not allow this provider.");
    }
    const { sealedClientSecret: before, ...comparableBefore } = provider;
    const { sealedClientSecret: after, ...comparableAfter } = next;
    const changes = fieldChanges(comparableBefore, { ...comparableAfter, updatedAt: provider.updatedAt });
    if (clientSecret != null) changes['clientSecret'] = { changed: true };
    if (Object.keys(changes).length === 0 && before === after) return undefined;
    return {
      provider: next,
      events: [identityProviderUpdated(next, tenant?._id ?? null, actor, now, changes, deps.providerSecretBoxes)],
    };
  });
}
