import { pageRequest, requireTenantAdmin, toPage } from '@messngr/kit';
import type { TenantResolvers } from '../generated/resolvers-types';
import type { IdentityDependencies } from '../identity-dependencies';

export function tenantResolvers(deps: IdentityDependencies): TenantResolvers {
  return {
    __resolveReference: (reference) => ({ id: reference.id }),
    accounts: async (tenant, { first, after }, { caller }) => {
      requireTenantAdmin(caller, tenant.id);
      const page = pageRequest(first, after);
      const accounts = await deps.accounts.page(tenant.id, page.limit + 1, page.after);
      return toPage(accounts, page.limit, (account) => account._id);
    },
  };
}
