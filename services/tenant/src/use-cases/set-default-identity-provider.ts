import { requireTenantAdmin, type Caller } from '@messngr/kit/auth';
import { ConflictError, NotFoundError } from '@messngr/kit/errors';
import { policyAllowsDefault } from '../domain/tenant-policy';
import { defaultProviderChanged } from '../events/tenant-events-publisher';
import type { TenantDocument } from '../persistence/tenant.model';
import type { TenantDependencies } from '../dependencies';
import type { TenantId } from '@messngr/kit/core';

/** One conditional write on the tenant document: there is never zero or two defaults. */
export async function setDefaultIdentityProvider(
  deps: Pick<TenantDependencies, 'tenants' | 'clock'>,
  caller: Caller,
  command: { tenantId: TenantId; providerId: string },
): Promise<TenantDocument> {
  const admin = requireTenantAdmin(caller, command.tenantId);
  const tenant = await deps.tenants.change(command.tenantId, (current) => {
    const provider = current.identityProviders.find((candidate) => candidate.id === command.providerId);
    if (!provider) throw new NotFoundError('Identity provider');
    if (current.defaultProviderId === provider.id) return undefined;
    if (!provider.enabled) throw new ConflictError('PROVIDER_DISABLED', 'Enable the provider before making it the default.');
    if (!policyAllowsDefault(current.policy, provider)) {
      throw new ConflictError('POLICY_FORBIDS_PROVIDER', "The tenant's policy does not allow this provider.");
    }
    const now = deps.clock.now();
    return {
      changes: { defaultProviderId: provider.id, updatedAt: now },
      events: [defaultProviderChanged(current._id, current.defaultProviderId, provider.id, admin, now)],
    };
  });
  if (!tenant) throw new NotFoundError('Tenant');
  return tenant;
}
