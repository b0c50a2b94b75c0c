import { asTenantId } from '@messngr/kit/core';
import type { MutationResolvers } from '../generated/resolvers-types';
import type { TenantDependencies } from '../dependencies';
import { createTenant } from '../use-cases/create-tenant';
import { reactivateTenant } from '../use-cases/reactivate-tenant';
import { registerIdentityProvider } from '../use-cases/register-identity-provider';
import { removeIdentityProvider } from '../use-cases/remove-identity-provider';
import { setDefaultIdentityProvider } from '../use-cases/set-default-identity-provider';
import { setIdentityProviderEnabled } from '../use-cases/set-identity-provider-enabled';
import { suspendTenant } from '../use-cases/suspend-tenant';
import { testIdentityProvider } from '../use-cases/test-identity-provider';
import { updateIdentityProvider } from '../use-cases/update-identity-provider';
import { updateTenant } from '../use-cases/update-tenant';
import { updateTenantPolicy } from '../use-cases/update-tenant-policy';

export function mutationResolvers(deps: TenantDependencies): MutationResolvers {
  return {
    createTenant: async (_p, { input }, { caller }) => ({ tenant: await createTenant(deps, caller, input) }),
    updateTenant: async (_p, { input }, { caller }) => ({
      tenant: await updateTenant(deps, caller, { ...input, id: asTenantId(input.id) }),
    }),
    suspendTenant: async (_p, { input }, { caller, signalRevocation }) => ({
      tenant: await suspendTenant(deps, caller, { ...input, id: asTenantId(input.id) }).finally(signalRevocation),
    }),
    reactivateTenant: async (_p, { input }, { caller }) => ({
      tenant: await reactivateTenant(deps, caller, { id: asTenantId(input.id) }),
    }),
    updateTenantPolicy: async (_p, { input }, { caller }) => ({
      tenant: await updateTenantPolicy(deps, caller, { ...input, tenantId: asTenantId(input.tenantId) }),
    }),
    registerIdentityProvider: async (_p, { input }, { caller }) => ({
      identityProvider: await registerIdentityProvider(deps, caller, {
        ...input,
        tenantId: input.tenantId == null ? null : asTenantId(input.tenantId),
      }),
    }),
    updateIdentityProvider: async (_p, { input }, { caller }) => ({
      identityProvider: await updateIdentityProvider(deps, caller, input),
    }),
    enableIdentityProvider: async (_p, { input }, { caller }) => ({
      identityProvider: await setIdentityProviderEnabled(deps, caller, { id: input.id, enabled: true }),
    }),
    disableIdentityProvider: async (_p, { input }, { caller }) => ({
      identityProvider: await setIdentityProviderEnabled(deps, caller, { id: input.id, enabled: false }),
    }),
    removeIdentityProvider: async (_p, { input }, { caller }) => ({
      removedId: await removeIdentityProvider(deps, caller, input),
    }),
    setDefaultIdentityProvider: async (_p, { input }, { caller }) => ({
      tenant: await setDefaultIdentityProvider(deps, caller, { ...input, tenantId: asTenantId(input.tenantId) }),
    }),
    testIdentityProvider: async (_p, { input }, { caller }) => {
      const report = await testIdentityProvider(deps, caller, input);
      return { report: { ...report, problems: report.problems.map((problem) => ({ ...problem, url: problem.url ?? null })) } };
    },
  };
}
