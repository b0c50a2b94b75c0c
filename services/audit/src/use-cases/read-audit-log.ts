import { EVENT_TYPE_PATTERN } from '@messngr/contracts';
import { canSupportTenant, type Caller } from '@messngr/kit/auth';
import { asTenantId, type TenantId } from '@messngr/kit/core';
import { BadUserInputError, ForbiddenError } from '@messngr/kit/errors';
import { pageRequest, toPage, type Page } from '@messngr/kit/graphql';
import type { ScopedFilter } from '@messngr/kit/mongo';
import { idRange } from '../domain/event-id-bounds';
import type { AuditEntryDocument } from '../persistence/audit-entry.model';
import type { AuditEntryRepository } from '../persistence/audit-entry.repository';
import type { PageArguments } from './read-account-activity';

export interface AuditLogFilter {
  account?: string | null;
  actor?: string | null;
  types?: string[] | null;
  from?: Date | string | null;
  to?: Date | string | null;
}

/** At most this many types in one filter: each is one indexed query, merged. */
export const MAX_FILTER_TYPES = 10;

/**
 * A tenant's audit log, newest first, for its administrators and support agents and for
 * platform support. Every filter is served by an index (tenantId, accountId | actorId | type,
 * then `_id` descending); `from`/`to` become `_id` bounds, and several types are one query
 * each, merged, so a page costs the same at 10 entries or 10 million.
 */
export async function readAuditLog(
  entries: Pick<AuditEntryRepository, 'newestFirst'>,
  caller: Caller,
  tenant: string,
  filter: AuditLogFilter | null | undefined,
  args: PageArguments,
): Promise<Page<AuditEntryDocument>> {
  const tenantId = asTenantId(tenant);
  if (!canSupportTenant(caller, tenantId)) {
    throw new ForbiddenError(
      "Only this tenant's administrators and support agents, or platform support, may read its audit log.",
    );
  }
  const page = pageRequest(args.first, args.after);
  const from = instant(filter?.from, 'from');
  const to = instant(filter?.to, 'to');
  if (from && to && from > to) throw new BadUserInputError('from must not be after to.', { field: 'filter.from' });
  const types = [...new Set(filter?.types ?? [])];
  if (types.length > MAX_FILTER_TYPES || types.some((type) => !EVENT_TYPE_PATTERN.test(type))) {
    throw new BadUserInputError(`types takes up to ${MAX_FILTER_TYPES} event types like identity.identity.linked.`, {
      field: 'filter.types',
    });
  }
  const equal: ScopedFilter<AuditEntryDocument> = {
    ...(filter?.account ? { accountId: filter.account } : {}),
    ...(filter?.actor ? { actorId: filter.actor } : {}),
  };
  const range = idRange({ from, to });
  const found = await newestMatching(entries, tenantId, equal, types, page.limit + 1, page.after, range);
  return toPage(found, page.limit, (entry) => entry._id);
}

async function newestMatching(
  entries: Pick<AuditEntryRepository, 'newestFirst'>,
  tenantId: TenantId,
  equal: ScopedFilter<AuditEntryDocument>,
  types: string[],
  limit: number,
  after: string | null,
  range: ReturnType<typeof idRange>,
): Promise<AuditEntryDocument[]> {
  if (types.length === 0) return entries.newestFirst(tenantId, equal, limit, after, range);
  const perType = await Promise.all(types.map((type) => entries.newestFirst(tenantId, { ...equal, type }, limit, after, range)));
  return perType
    .flat()
    .sort((a, b) => (a._id < b._id ? 1 : a._id > b._id ? -1 : 0))
    .slice(0, limit);
}

function instant(value: Date | string | null | undefined, field: string): Date | null {
  if (value === null || value === undefined) return null;
  const time = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(time.getTime())) throw new BadUserInputError(`${field} is not a date and time.`, { field: `filter.${field}` });
  return time;
}
