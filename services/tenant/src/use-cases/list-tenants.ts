import { isPlatformAdmin, requireAuthenticated, type Caller } from '@messngr/kit/auth';
import { Role } from '@messngr/kit/core';
import { ForbiddenError } from '@messngr/kit/errors';
import { pageRequest, toPage, type Page } from '@messngr/kit/graphql';
import type { TenantDocument, TenantStatus } from '../persistence/tenant.model';
import type { TenantRepository } from '../persistence/tenant.repository';

/** Platform administrators page through every tenant; tenant administrators see their own. */
export async function listTenants(
  tenants: TenantRepository,
  caller: Caller,
  request: {
    first?: number | null;
    after?: string | null;
    filter?: { status?: TenantStatus | null; text?: string | null } | null;
  },
): Promise<Page<TenantDocument>> {
  const actor = requireAuthenticated(caller);
  const everyTenant = isPlatformAdmin(actor);
  if (!everyTenant && !actor.roles.includes(Role.TENANT_ADMIN)) throw new ForbiddenError('Only administrators may list tenants.');
  const page = pageRequest(request.first, request.after);
  const text = request.filter?.text?.trim().slice(0, 100) || null;
  const found = await tenants.page(
    { ...(everyTenant ? {} : { ids: [actor.tenantId] }), status: request.filter?.status ?? null, text },
    page.limit + 1,
    page.after,
  );
  return toPage(found, page.limit, (tenant) => tenant._id);
}
