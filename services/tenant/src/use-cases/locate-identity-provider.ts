import { canAdministerTenant, isPlatformAdmin, requireAuthenticated, type Caller } from '@messngr/kit/auth';
import { ForbiddenError } from '@messngr/kit/errors';
import type { IdentityProviderView, StoredIdentityProvider } from '../domain/identity-provider';
import type { SharedProviderDocument } from '../persistence/shared-provider.model';
import type { TenantDocument } from '../persistence/tenant.model';
import type { TenantDependencies } from '../dependencies';
import type { TenantId } from '@messngr/kit/core';

export type LocatedProvider =
  | { owner: 'tenant'; tenant: TenantDocument; provider: StoredIdentityProvider }
  | { owner: 'shared'; definition: SharedProviderDocument; provider: StoredIdentityProvider };

/** Finds a provider wherever it lives: inside its tenant's document, or as a shared definition. */
export async function locateIdentityProvider(
  deps: Pick<TenantDependencies, 'tenants' | 'sharedProviders'>,
  id: string,
): Promise<LocatedProvider | undefined> {
  const tenant = await deps.tenants.findByProviderId(id);
  const provider = tenant?.identityProviders.find((candidate) => candidate.id === id);
  if (tenant && provider) return { owner: 'tenant', tenant, provider };
  const definition = await deps.sharedProviders.findById(id);
  return definition ? { owner: 'shared', definition, provider: sharedDefinitionAsProvider(definition) } : undefined;
}

export function sharedDefinitionAsProvider(definition: SharedProviderDocument): StoredIdentityProvider {
  const { _id, version: _version, pendingEvents: _pending, outboxPending: _outbox, removed: _removed, ...provider } = definition;
  return { ...provider, id: _id };
}

export function providerView(
  provider: StoredIdentityProvider,
  tenant: Pick<TenantDocument, '_id' | 'defaultProviderId'> | null,
): IdentityProviderView {
  return { ...provider, tenantId: tenant?._id ?? null, isDefault: tenant?.defaultProviderId === provider.id };
}

export function viewOf(located: LocatedProvider): IdentityProviderView {
  return located.owner === 'tenant' ? providerView(located.provider, located.tenant) : providerView(located.provider, null);
}

/** Shared definitions are the platform's; a tenant's providers are its administrators'. */
export function mayAdministerProvider(caller: Caller, tenantId: TenantId | null): boolean {
  return tenantId === null ? isPlatformAdmin(caller) : canAdministerTenant(caller, tenantId);
}

export function requireProviderAdmin(caller: Caller, located: LocatedProvider): void {
  requireAuthenticated(caller);
  if (!mayAdministerProvider(caller, located.owner === 'tenant' ? located.tenant._id : null)) {
    throw new ForbiddenError('Only administrators of this provider may change it.');
  }
}
