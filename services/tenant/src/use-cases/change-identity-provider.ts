import type { EventEnvelope } from '@messngr/contracts';
import type { Caller } from '@messngr/kit/auth';
import { NotFoundError } from '@messngr/kit/errors';
import type { IdentityProviderView, StoredIdentityProvider } from '../domain/identity-provider';
import type { TenantDocument } from '../persistence/tenant.model';
import type { TenantDependencies } from '../dependencies';
import {
  locateIdentityProvider,
  providerView,
  requireProviderAdmin,
  sharedDefinitionAsProvider,
} from './locate-identity-provider';

export type ProviderChange = (
  provider: StoredIdentityProvider,
  tenant: TenantDocument | null,
) => { provider: StoredIdentityProvider; events: EventEnvelope<unknown>[]; tenantChanges?: Partial<TenantDocument> } | undefined;

/**
 * The shared path of every provider mutation: find it, check the caller administers it,
 * then change it with one conditional write on the document that holds it.
 */
export async function changeIdentityProvider(
  deps: Pick<TenantDependencies, 'tenants' | 'sharedProviders'>,
  caller: Caller,
  id: string,
  change: ProviderChange,
): Promise<IdentityProviderView> {
  const located = await locateIdentityProvider(deps, id);
  if (!located) throw new NotFoundError('Identity provider');
  requireProviderAdmin(caller, located);
  if (located.owner === 'shared') {
    let changed: StoredIdentityProvider | undefined;
    const definition = await deps.sharedProviders.change(id, (current) => {
      const decision = change(sharedDefinitionAsProvider(current), null);
      if (!decision) return undefined;
      changed = decision.provider;
      const { id: _id, ...fields } = decision.provider;
      return { changes: fields, events: decision.events };
    });
    if (!definition) throw new NotFoundError('Identity provider');
    return providerView(changed ?? sharedDefinitionAsProvider(definition), null);
  }
  let changed: StoredIdentityProvider | undefined;
  const tenant = await deps.tenants.change(located.tenant._id, (current) => {
    const provider = current.identityProviders.find((candidate) => candidate.id === id);
    if (!provider) throw new NotFoundError('Identity provider');
    const decision = change(provider, current);
    if (!decision) return undefined;
    changed = decision.provider;
    return {
      changes: {
        identityProviders: current.identityProviders.map((candidate) => (candidate.id === id ? decision.provider : candidate)),
        updatedAt: decision.provider.updatedAt,
        ...decision.tenantChanges,
      },
      events: decision.events,
    };
  });
  if (!tenant) throw new NotFoundError('Identity provider');
  return providerView(changed ?? tenant.identityProviders.find((candidate) => candidate.id === id)!, tenant);
}
