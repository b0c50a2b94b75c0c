import { canReadAccount, type Caller } from '@messngr/kit/auth';
import { asTenantId } from '@messngr/kit/core';
import { ForbiddenError } from '@messngr/kit/errors';
import { pageRequest, toPage, type Page } from '@messngr/kit/graphql';
import type { AuditEntryDocument } from '../persistence/audit-entry.model';
import type { AuditEntryRepository } from '../persistence/audit-entry.repository';
import type { AccountReference } from '../persistence/entity-references';

export interface PageArguments {
  first?: number | null;
  after?: string | null;
}

/** Entries about one account, newest first: the account itself, its tenant's administrators and support. */
export async function readAccountActivity(
  entries: Pick<AuditEntryRepository, 'newestFirst'>,
  caller: Caller,
  account: AccountReference,
  args: PageArguments,
): Promise<Page<AuditEntryDocument>> {
  const tenantId = asTenantId(account.tenantId);
  if (!canReadAccount(caller, tenantId, account.id)) {
    throw new ForbiddenError(
      "Only the account itself, its tenant's administrators and support agents, or platform support may read its activity.",
    );
  }
  const page = pageRequest(args.first, args.after);
  const found = await entries.newestFirst(tenantId, { accountId: account.id }, page.limit + 1, page.after);
  return toPage(found, page.limit, (entry) => entry._id);
}
