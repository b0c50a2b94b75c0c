import type { Caller } from '@messngr/kit/auth';
import { PLATFORM_TENANT, type Clock, type TenantId } from '@messngr/kit/core';
import type { Page } from '@messngr/kit/graphql';
import { feedViewer, type FeedViewer } from '../domain/feed-viewer';
import type { AccountReplicaDocument } from '../persistence/account-replica.model';
import type { AccountReplicaRepository } from '../persistence/account-replica.repository';
import type { AuditEntryDocument } from '../persistence/audit-entry.model';

/** An entry as one viewer reads it: in their language and time zone, with its actor's name where known. */
export interface AuditEntryView {
  entry: AuditEntryDocument;
  viewer: FeedViewer;
  now: Date;
  actorName: string | null;
}

export interface EntryViewDeps {
  accounts: Pick<AccountReplicaRepository, 'byIds'>;
  clock: Clock;
}

/**
 * Dresses entries for the caller: their own account's locale and time zone (`locale` overrides
 * the language), and the actors' display names, in one replica query per tenant involved (the
 * page's tenant, plus the platform tenant when platform support acted).
 */
export async function viewEntries(
  deps: EntryViewDeps,
  caller: Caller,
  entries: AuditEntryDocument[],
  locale?: string | null,
): Promise<AuditEntryView[]> {
  const wanted = new Map<TenantId, Set<string>>();
  const want = (tenantId: TenantId, id: string | null | undefined) => {
    if (!id) return;
    const ids = wanted.get(tenantId) ?? new Set<string>();
    ids.add(id);
    wanted.set(tenantId, ids);
  };
  if (caller.tenantId) want(caller.tenantId, caller.accountId);
  for (const entry of entries) {
    want(entry.tenantId, entry.actorId);
    if (entry.actorType === 'operator' && entry.tenantId !== PLATFORM_TENANT.id) want(PLATFORM_TENANT.id, entry.actorId);
  }
  const found = await Promise.all([...wanted].map(([tenantId, ids]) => deps.accounts.byIds(tenantId, [...ids])));
  const byKey = new Map<string, AccountReplicaDocument>();
  for (const account of found.flat()) byKey.set(`${account.tenantId}/${account._id}`, account);
  const own = caller.tenantId && caller.accountId ? byKey.get(`${caller.tenantId}/${caller.accountId}`) : undefined;
  const viewer = feedViewer(own ?? null, locale);
  const now = deps.clock.now();
  return entries.map((entry) => {
    const actor =
      entry.actorId === null
        ? undefined
        : (byKey.get(`${entry.tenantId}/${entry.actorId}`) ?? byKey.get(`${PLATFORM_TENANT.id}/${entry.actorId}`));
    return { entry, viewer, now, actorName: actor?.displayName ?? null };
  });
}

/** The same page with its entries dressed for the caller. */
export async function viewPage(
  deps: EntryViewDeps,
  caller: Caller,
  page: Page<AuditEntryDocument>,
  locale?: string | null,
): Promise<Page<AuditEntryView>> {
  const views = await viewEntries(
    deps,
    caller,
    page.edges.map((edge) => edge.node),
    locale,
  );
  return { edges: page.edges.map((edge, i) => ({ cursor: edge.cursor, node: views[i]! })), pageInfo: page.pageInfo };
}
