import { requirePlatformAdmin, requireTenantAdmin, type AuthenticatedCaller, type Caller } from '@messngr/kit/auth';
import { newId, type TenantId } from '@messngr/kit/core';
import { BadUserInputError, ConflictError, NotFoundError } from '@messngr/kit/errors';
import { clientSecretContext, type IdentityProviderView, type StoredIdentityProvider } from '../domain/identity-provider';
import {
  checkedClientSecret,
  checkedProviderSettings,
  EMPTY_SETTINGS,
  type ProviderSettingsInput,
} from '../domain/provider-settings';
import { policyAllowsProvider } from '../domain/tenant-policy';
import { identityProviderEvent } from '../events/tenant-events-publisher';
import type { TenantDependencies } from '../dependencies';
import { providerView, sharedDefinitionAsProvider } from './locate-identity-provider';

export interface RegisterIdentityProviderCommand extends ProviderSettingsInput {
  tenantId?: TenantId | null;
  sharedDefinitionId?: string | null;
  clientSecret?: string | null;
  enabled?: boolean | null;
}

const MAX_PROVIDERS_PER_TENANT = 50;

export async function registerIdentityProvider(
  deps: TenantDependencies,
  caller: Caller,
  command: RegisterIdentityProviderCommand,
): Promise<IdentityProviderView> {
  if (command.tenantId == null) return registerSharedDefinition(deps, requirePlatformAdmin(caller), command);
  const admin = requireTenantAdmin(caller, command.tenantId);
  const now = deps.clock.now();
  const id = newId('idp', now.getTime());
  let settings;
  if (command.sharedDefinitionId != null) {
    const definition = await deps.sharedProviders.findById(command.sharedDefinitionId);
    if (!definition) throw new NotFoundError('Shared identity provider');
    const base = sharedDefinitionAsProvider(definition);
    settings = checkedProviderSettings(
      base,
      { clientId: command.clientId, requiredHostedDomain: command.requiredHostedDomain },
      { allowInsecureLoopback: deps.allowInsecureLoopback, credentialsRequired: true },
    );
  } else {
    if (command.kind == null) throw new BadUserInputError('kind is required.', { field: 'kind' });
    if (command.displayName == null) throw new BadUserInputError('displayName is required.', { field: 'displayName' });
    settings = checkedProviderSettings(EMPTY_SETTINGS, command, {
      allowInsecureLoopback: deps.allowInsecureLoopback,
      credentialsRequired: true,
    });
  }
  const secret = command.clientSecret == null ? null : checkedClientSecret(command.clientSecret);
  const provider: StoredIdentityProvider = {
    ...settings,
    id,
    enabled: command.enabled ?? true,
    sharedDefinitionId: command.sharedDefinitionId ?? null,
    sealedClientSecret: secret === null ? null : deps.secretBox.seal(secret, clientSecretContext(id)),
    createdAt: now,
    updatedAt: now,
  };
  const tenant = await deps.tenants.change(command.tenantId, (current) => {
    if (current.identityProviders.length >= MAX_PROVIDERS_PER_TENANT) {
      throw new ConflictError('TOO_MANY_PROVIDERS', `A tenant may have at most ${MAX_PROVIDERS_PER_TENANT} providers.`);
    }
    if (provider.enabled && !policyAllowsProvider(current.policy, provider)) {
      throw new ConflictError('POLICY_FORBIDS_PROVIDER', "The tenant's policy does not allow this provider.");
    }
    return {
      changes: { identityProviders: [...current.identityProviders, provider], updatedAt: now },
      events: [identityProviderEvent('registered', provider, current._id, admin, now, deps.providerSecretBoxes)],
    };
  });
  if (!tenant) throw new NotFoundError('Tenant');
  return providerView(provider, tenant);
}

async function registerSharedDefinition(
  deps: TenantDependencies,
  admin: AuthenticatedCaller,
  command: RegisterIdentityProviderCommand,
) {
  if (command.sharedDefinitionId != null)
    throw new BadUserInputError('sharedDefinitionId needs a tenantId.', { field: 'tenantId' });
  if (command.kind == null || command.kind === 'NATIVE') {
    throw new BadUserInputError('kind of a shared definition must be OIDC or OAUTH2.', { field: 'kind' });
  }
  if (command.displayName == null) throw new BadUserInputError('displayName is required.', { field: 'displayName' });
  if (command.clientSecret != null) {
    throw new BadUserInputError('clientSecret belongs to each tenant, not to a shared definition.', { field: 'clientSecret' });
  }
  const settings = checkedProviderSettings(EMPTY_SETTINGS, command, {
    allowInsecureLoopback: deps.allowInsecureLoopback,
    credentialsRequired: false,
  });
  const now = deps.clock.now();
  const provider: StoredIdentityProvider = {
    ...settings,
    id: newId('idp', now.getTime()),
    enabled: command.enabled ?? true,
    sharedDefinitionId: null,
    sealedClientSecret: null,
    createdAt: now,
    updatedAt: now,
  };
  const { id, ...fields } = provider;
  await deps.sharedProviders.insert({ _id: id, ...fields, removed: false }, [
    identityProviderEvent('registered', provider, null, admin, now, deps.providerSecretBoxes),
  ]);
  return providerView(provider, null);
}
