import { canAdministerTenant, canReadAccount, type Caller } from '@messngr/kit';

/** Administrators of the entry's tenant read every entry; an account also reads the entries about itself. */
export function canReadAuditEntry(caller: Caller, entry: { tenantId: string; accountId: string | null }): boolean {
  if (canAdministerTenant(caller, entry.tenantId)) return true;
  return entry.accountId !== null && canReadAccount(caller, entry.tenantId, entry.accountId);
}
