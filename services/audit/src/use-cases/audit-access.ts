import { canReadAccount, canSupportTenant, type Caller } from '@messngr/kit/auth';
import type { TenantId } from '@messngr/kit/core';
import { findReadable, type ScopedReadsById } from '@messngr/kit/mongo';
import type { AuditEntryDocument } from '../persistence/audit-entry.model';

/** The entry's tenant's administrators and support (and platform support) read every entry; an account also reads the entries about itself. */
export function canReadAuditEntry(caller: Caller, entry: { tenantId: TenantId; accountId: string | null }): boolean {
  if (canSupportTenant(caller, entry.tenantId)) return true;
  return entry.accountId !== null && canReadAccount(caller, entry.tenantId, entry.accountId);
}

/** The entry if the caller may see it; null alike for "absent" and "not yours". */
export function findReadableAuditEntry(
  entries: ScopedReadsById<AuditEntryDocument>,
  caller: Caller,
  id: string,
): Promise<AuditEntryDocument | null> {
  return findReadable(entries, caller, id, (entry) => canReadAuditEntry(caller, entry));
}
