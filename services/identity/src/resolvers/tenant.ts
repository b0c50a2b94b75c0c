import { requireTenantAdmin } from '@messngr/kit/auth';
import { asTenantId } from '@messngr/kit/core';
import { pageRequest, toPage } from '@messngr/kit/graphql';
import type { IdentityDependencies } from '../dependencies';
import type { TenantResolvers } from '../generated/resolvers-types';

export function tenantResolvers(deps: IdentityDependencies): TenantResolvers {
  return {
    __resolveReference: (reference) => ({ id: reference.id }),
    accounts: async (tenant, { first, after }, { caller }) => {
      const tenantId = asTenantId(tenant.id);
      requireTenantAdmin(caller, tenantId);
      const page = pageRequest(first, after);
      const accounts = await deps.accounts.page(tenantId, {}, { first: page.limit + 1, after: page.after });
      return toPage(accounts, page.limit, (account) => account._id);
    },
  };
}
