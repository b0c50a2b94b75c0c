import { canReadAccount, ForbiddenError, pageRequest, toPage, type Caller, type Page } from '@messngr/kit';
import type { AuditEntryDocument } from '../persistence/audit-entry.model';
import type { AuditEntryRepository } from '../persistence/audit-entry.repository';
import type { AccountReference } from '../persistence/entity-references';

export interface PageArguments {
  first?: number | null;
  after?: string | null;
}

/** Entries about one account, newest first: the account itself and administrators of its tenant. */
export async function readAccountActivity(
  entries: Pick<AuditEntryRepository, 'newestFirst'>,
  caller: Caller,
  account: AccountReference,
  args: PageArguments,
): Promise<Page<AuditEntryDocument>> {
  if (!canReadAccount(caller, account.tenantId, account.id)) {
    throw new ForbiddenError('Only the account itself or an administrator of its tenant may read its activity.');
  }
  const page = pageRequest(args.first, args.after);
  const found = await entries.newestFirst(account.tenantId, { accountId: account.id }, page.limit + 1, page.after);
  return toPage(found, page.limit, (entry) => entry._id);
}
