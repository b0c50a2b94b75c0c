import { canAdministerTenant, type Caller } from '@messngr/kit/auth';
import { asTenantId } from '@messngr/kit/core';
import { ForbiddenError } from '@messngr/kit/errors';
import { pageRequest, toPage, type Page } from '@messngr/kit/graphql';
import type { AuditEntryDocument } from '../persistence/audit-entry.model';
import type { AuditEntryRepository } from '../persistence/audit-entry.repository';
import type { TenantReference } from '../persistence/entity-references';
import type { PageArguments } from './read-account-activity';

/** Every entry of one tenant, newest first: administrators of that tenant only. */
export async function readTenantAuditLog(
  entries: Pick<AuditEntryRepository, 'newestFirst'>,
  caller: Caller,
  tenant: TenantReference,
  args: PageArguments,
): Promise<Page<AuditEntryDocument>> {
  const tenantId = asTenantId(tenant.id);
  if (!canAdministerTenant(caller, tenantId)) {
    throw new ForbiddenError('Only administrators of this tenant may read its audit log.');
  }
  const page = pageRequest(args.first, args.after);
  const found = await entries.newestFirst(tenantId, {}, page.limit + 1, page.after);
  return toPage(found, page.limit, (entry) => entry._id);
}
