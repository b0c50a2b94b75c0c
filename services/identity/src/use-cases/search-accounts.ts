import { canSupportTenant, requireAuthenticated, type Caller } from '@messngr/kit/auth';
import { asTenantId } from '@messngr/kit/core';
import { ForbiddenError } from '@messngr/kit/errors';
import { pageRequest, toPage, type Page } from '@messngr/kit/graphql';
import { normalizeEmail } from '../domain/email-address';
import { normalizePhone } from '../domain/phone-number';
import type { IdentityDependencies } from '../dependencies';
import type { AccountDocument } from '../persistence/account.model';

export interface SearchAccountsCommand {
  query?: string | null;
  tenantId?: string | null;
  first?: number | null;
  after?: string | null;
}

/**
 * Support staff and tenant administrators find accounts: by id, by email or phone number
 * (normalized as sign-in normalizes them), or by the beginning of a handle or display name.
 * Always inside one tenant: the caller's own, or any one platform support names.
 */
export async function searchAccounts(
  deps: Pick<IdentityDependencies, 'accounts' | 'claims'>,
  caller: Caller,
  command: SearchAccountsCommand,
): Promise<Page<AccountDocument>> {
  const me = requireAuthenticated(caller);
  const tenantId = command.tenantId ? asTenantId(command.tenantId) : me.tenantId;
  if (!canSupportTenant(me, tenantId))
    throw new ForbiddenError('Only support staff and administrators of this tenant may search accounts.');
  const page = pageRequest(command.first, command.after);
  const query = command.query?.trim().slice(0, 100) ?? '';
  const exact = await exactMatch(deps, tenantId, query);
  if (exact !== undefined) {
    const found = exact && (!page.after || exact._id > page.after) ? [exact] : [];
    return toPage(found, page.limit, (account) => account._id);
  }
  const found = await deps.accounts.findByNamePrefix(tenantId, query, page.limit + 1, page.after);
  return toPage(found, page.limit, (account) => account._id);
}

/** An id, an email address or a phone number names at most one account; undefined when the query is none of those. */
async function exactMatch(
  deps: Pick<IdentityDependencies, 'accounts' | 'claims'>,
  tenantId: ReturnType<typeof asTenantId>,
  query: string,
): Promise<AccountDocument | null | undefined> {
  if (/^acc_[0-9a-z]{26}$/.test(query)) return deps.accounts.findById(tenantId, query);
  const email = query.includes('@') ? normalizeEmail(query) : undefined;
  const phone = query.startsWith('+') ? normalizePhone(query) : undefined;
  const identifier = email
    ? { kind: 'EMAIL' as const, value: email.value }
    : phone
      ? { kind: 'PHONE' as const, value: phone.value }
      : undefined;
  if (!identifier) return undefined;
  const claim = await deps.claims.findClaim(tenantId, identifier.kind, identifier.value);
  return claim ? deps.accounts.findById(tenantId, claim.accountId) : null;
}
