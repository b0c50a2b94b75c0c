import type { Caller } from '@messngr/kit/auth';
import type { Page } from '@messngr/kit/graphql';
import type { AuditEntryDocument } from '../persistence/audit-entry.model';
import type { AuditEntryRepository } from '../persistence/audit-entry.repository';
import type { TenantReference } from '../persistence/entity-references';
import type { PageArguments } from './read-account-activity';
import { readAuditLog } from './read-audit-log';

/** `Tenant.auditLog`: the top-level `auditLog` of that tenant, unfiltered. */
export function readTenantAuditLog(
  entries: Pick<AuditEntryRepository, 'newestFirst'>,
  caller: Caller,
  tenant: TenantReference,
  args: PageArguments,
): Promise<Page<AuditEntryDocument>> {
  return readAuditLog(entries, caller, tenant.id, null, args);
}
