import { requireTenantAdmin, type Caller } from '@messngr/kit/auth';
import { ConflictError, NotFoundError } from '@messngr/kit/errors';
import { applyPolicyChanges, policyAllowsDefault, type TenantPolicyChanges } from '../domain/tenant-policy';
import { fieldChanges, policyUpdated } from '../events/tenant-events-publisher';
import type { TenantDocument } from '../persistence/tenant.model';
import type { TenantDependencies } from '../dependencies';
import type { TenantId } from '@messngr/kit/core';

/** A policy may not forbid the tenant's default provider: choose another default first. */
export async function updateTenantPolicy(
  deps: Pick<TenantDependencies, 'tenants' | 'clock'>,
  caller: Caller,
  command: TenantPolicyChanges & { tenantId: TenantId },
): Promise<TenantDocument> {
  const admin = requireTenantAdmin(caller, command.tenantId);
  const updated = await deps.tenants.change(command.tenantId, (tenant) => {
    const policy = applyPolicyChanges(tenant.policy, command, (name) => name in command);
    const defaultProvider = tenant.identityProviders.find((provider) => provider.id === tenant.defaultProviderId);
    if (defaultProvider && !policyAllowsDefault(policy, defaultProvider)) {
      throw new ConflictError(
        'POLICY_FORBIDS_PROVIDER',
        'The policy would forbid the default provider; choose another default first.',
      );
    }
    const changes = fieldChanges(tenant.policy, policy);
    if (Object.keys(changes).length === 0) return undefined;
    const now = deps.clock.now();
    return { changes: { policy, updatedAt: now }, events: [policyUpdated(tenant._id, changes, policy, admin, now)] };
  });
  if (!updated) throw new NotFoundError('Tenant');
  return updated;
}
