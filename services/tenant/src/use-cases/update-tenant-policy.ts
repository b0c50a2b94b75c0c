import { requireTenantAdmin, type Caller } from '@messngr/kit/auth';
import { ConflictError, NotFoundError } from '@messngr/kit/errors';
import { applyPolicyChanges, policyAllowsDefault, tenantPolicyOf, type TenantPolicyChanges } from '../domain/tenant-policy';
import { fieldChanges, policyUpdated } from '../events/tenant-events-publisher';
import type { TenantDocument } from '../persistence/tenant.model';
import type { TenantDependencies } from '../dependencies';
import type { TenantId } from '@messngr/kit/core';

/**
 * A policy may not forbid the tenant's default provider: choose another default first. Return
 * URLs are checked as the tenant subgraph checks provider URLs (http on loopback outside production only).
 */
export async function updateTenantPolicy(
  deps: Pick<TenantDependencies, 'tenants' | 'clock' | 'allowInsecureLoopback'>,
  caller: Caller,
  command: TenantPolicyChanges & { tenantId: TenantId },
): Promise<TenantDocument> {
  const admin = requireTenantAdmin(caller, command.tenantId);
  const updated = await deps.tenants.change(command.tenantId, (tenant) => {
    const current = tenantPolicyOf(tenant.policy);
    const policy = applyPolicyChanges(current, command, (name) => name in command, {
      allowInsecureLoopback: deps.allowInsecureLoopback,
    });
    const defaultProvider = tenant.identityProviders.find((provider) => provider.id === tenant.defaultProviderId);
    if (defaultProvider && !policyAllowsDefault(policy, defaultProvider)) {
      throw new ConflictError(
        'POLICY_FORBIDS_PROVIDER',
        'The policy would forbid the default provider; choose another default first.',
      );
    }
    const changes = fieldChanges(current, policy);
    if (Object.keys(changes).length === 0) return undefined;
    const now = deps.clock.now();
    return { changes: { policy, updatedAt: now }, events: [policyUpdated(tenant._id, changes, policy, admin, now)] };
  });
  if (!updated) throw new NotFoundError('Tenant');
  return updated;
}
