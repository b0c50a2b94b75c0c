import { canReadAccount, isPlatformAdmin, type Caller } from '@messngr/kit';
import type { IdentityDependencies } from '../identity-dependencies';
import type { AccountDocument } from '../persistence/account.model';

/** The account if the caller may see it; null alike for "absent" and "not yours". */
export async function findReadableAccount(
  deps: IdentityDependencies,
  caller: Caller,
  id: string,
  tenantId?: string,
): Promise<AccountDocument | null> {
  const scope = tenantId ?? (isPlatformAdmin(caller) ? undefined : caller.tenantId);
  if (scope === undefined && !isPlatformAdmin(caller)) return null;
  const account = scope === undefined ? await deps.accounts.findByIdInAnyTenant(id) : await deps.accounts.findById(scope, id);
  if (!account || !canReadAccount(caller, account.tenantId, account._id)) return null;
  return account;
}
