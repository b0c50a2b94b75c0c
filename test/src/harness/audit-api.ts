import type { GraphQLResponse, Stack } from './stack';

/** What a feed entry shows, as the tests read it. */
export interface FeedEntryView {
  id: string;
  type: string;
  accountId: string | null;
  occurredAt: string;
  summary: string;
  sentence: string;
  relativeTime: string;
  localTime: string;
  timeZone: string;
  actor: {
    kind: 'USER' | 'TENANT_ADMIN' | 'SUPPORT' | 'SYSTEM';
    id: string | null;
    displayName: string | null;
    reason: string | null;
  };
  clientIp: string | null;
  userAgent: string | null;
  correlationId: string | null;
  changes: { field: string; before: string | null; after: string | null }[];
}

export interface FeedPage {
  edges: { cursor: string; node: FeedEntryView }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export const FEED_ENTRY_FIELDS = `id type accountId occurredAt summary sentence relativeTime localTime timeZone
  actor { kind id displayName reason } clientIp userAgent correlationId changes { field before after }`;

export interface AuditLogFilterInput {
  account?: string;
  actor?: string;
  types?: string[];
  from?: string;
  to?: string;
}

/** The audit subgraph's reads through the gateway: an account's activity and a tenant's audit log. */
export function auditApi(stack: Stack) {
  return {
    activity: (token: string, args: { first?: number; after?: string; locale?: string } = {}) =>
      stack.graphql<{ me: { activity: FeedPage } | null }>(
        `query ($first: Int, $after: String, $locale: String) {
          me { activity(first: $first, after: $after, locale: $locale) { edges { cursor node { ${FEED_ENTRY_FIELDS} } } pageInfo { hasNextPage endCursor } } }
        }`,
        args,
        token,
      ),
    auditLog: (
      token: string,
      args: { tenant: string; filter?: AuditLogFilterInput; first?: number; after?: string; locale?: string },
    ): Promise<GraphQLResponse<{ auditLog: FeedPage }>> =>
      stack.graphql<{ auditLog: FeedPage }>(
        `query ($tenant: ID!, $filter: AuditLogFilter, $first: Int, $after: String, $locale: String) {
          auditLog(tenant: $tenant, filter: $filter, first: $first, after: $after, locale: $locale) {
            edges { cursor node { ${FEED_ENTRY_FIELDS} } } pageInfo { hasNextPage endCursor }
          }
        }`,
        args,
        token,
      ),
  };
}

export type AuditApi = ReturnType<typeof auditApi>;

/** Every entry of a filtered audit log, following cursors page by page. */
export async function allPages(
  api: AuditApi,
  token: string,
  args: { tenant: string; filter?: AuditLogFilterInput; first?: number },
): Promise<FeedEntryView[]> {
  const found: FeedEntryView[] = [];
  let after: string | undefined;
  for (let page = 0; page < 100; page += 1) {
    const response = await api.auditLog(token, { ...args, ...(after ? { after } : {}) });
    if (response.errors?.length || !response.data) throw new Error(`audit log refused: ${JSON.stringify(response.errors)}`);
    const { edges, pageInfo } = response.data.auditLog;
    found.push(...edges.map((edge) => edge.node));
    if (!pageInfo.hasNextPage || !pageInfo.endCursor) return found;
    after = pageInfo.endCursor;
  }
  throw new Error('more than 100 pages');
}
