import { isPlatformAdmin, type Caller } from '@messngr/kit';
import { canReadAuditEntry } from '../domain/audit-access';
import type { AuditEntryDocument } from '../persistence/audit-entry.model';
import type { AuditEntryRepository } from '../persistence/audit-entry.repository';

/** The entry if the caller may see it; null alike for "absent" and "not yours". */
export async function findReadableAuditEntry(
  entries: Pick<AuditEntryRepository, 'findById' | 'findByIdInAnyTenant'>,
  caller: Caller,
  id: string,
): Promise<AuditEntryDocument | null> {
  let entry: AuditEntryDocument | null = null;
  if (isPlatformAdmin(caller)) entry = await entries.findByIdInAnyTenant(id);
  else if (caller.tenantId) entry = await entries.findById(caller.tenantId, id);
  return entry && canReadAuditEntry(caller, entry) ? entry : null;
}
