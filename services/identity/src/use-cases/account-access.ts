import { canReadAccount, type Caller } from '@messngr/kit/auth';
import type { TenantId } from '@messngr/kit/core';
import { findReadable, type ScopedReadsById } from '@messngr/kit/mongo';
import type { AccountDocument } from '../persistence/account.model';

/** An account is its own, and its tenant's administrators'; null alike for "absent" and "not yours". */
export function findReadableAccount(
  accounts: ScopedReadsById<AccountDocument>,
  caller: Caller,
  id: string,
  tenantId?: TenantId,
): Promise<AccountDocument | null> {
  return findReadable(accounts, caller, id, (account) => canReadAccount(caller, account.tenantId, account._id), tenantId);
}
