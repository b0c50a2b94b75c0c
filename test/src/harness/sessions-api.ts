import type { SubgraphName } from '@messngr/contracts';
import { SESSION_FIELDS, type SessionView } from './sign-in';
import type { GraphQLResponse, Stack } from './stack';

/**
 * The caller's own session API as a client calls it through the gateway, and one
 * authenticated query answered by each subgraph: what "refused on the next request
 * everywhere" is checked with.
 */

/** One query per subgraph, each needing a signed-in caller (`me` is null for anonymous ones). */
export const PROBES: Record<SubgraphName, string> = {
  identity: `{ me { id } }`,
  tenant: `{ me { id tenant { id name } } }`,
  device: `{ me { id devices { id } } }`,
  audit: `{ me { id activity(first: 1) { edges { node { id } } } } }`,
};

type Probed = { me: { id: string } | null };

export interface Recorded {
  operation: string;
  status: number;
  codes: (string | undefined)[];
}

/**
 * The stack with every GraphQL response it gives kept in `responses`, so a test can assert
 * that nothing anywhere answered with a server error.
 */
export function recordingStack(stack: Stack): { stack: Stack; responses: Recorded[] } {
  const responses: Recorded[] = [];
  const record = <Data>(query: string, response: GraphQLResponse<Data>): GraphQLResponse<Data> => {
    responses.push({
      operation: query.replace(/\s+/g, ' ').slice(0, 80),
      status: response.status,
      codes: (response.errors ?? []).map((error) => error.extensions?.code),
    });
    return response;
  };
  const recording = new Proxy(stack, {
    get(target, property, receiver) {
      if (property === 'graphql') {
        return async <Data>(query: string, variables?: Record<string, unknown>, token?: string) =>
          record(query, await target.graphql<Data>(query, variables, token));
      }
      if (property === 'graphqlAs') {
        return async <Data>(
          query: string,
          variables?: Record<string, unknown>,
          as?: { token?: string; headers?: Record<string, string> },
        ) => record(query, await target.graphqlAs<Data>(query, variables, as));
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
  return { stack: recording, responses };
}

/** Responses that were server errors: an HTTP 5xx, or an error coded as one. */
export function serverErrors(responses: Recorded[]): Recorded[] {
  return responses.filter((response) => response.status >= 500 || response.codes.includes('INTERNAL_SERVER_ERROR'));
}

export function sessionsApi(stack: Stack) {
  return {
    /** Each subgraph's probe with `token`, in parallel: the answers by subgraph. */
    probe: async (token: string): Promise<Record<SubgraphName, GraphQLResponse<Probed>>> => {
      const entries = await Promise.all(
        (Object.entries(PROBES) as [SubgraphName, string][]).map(
          async ([subgraph, query]) => [subgraph, await stack.graphql<Probed>(query, {}, token)] as const,
        ),
      );
      return Object.fromEntries(entries) as Record<SubgraphName, GraphQLResponse<Probed>>;
    },
    mySessions: (token: string, includeEnded = false) =>
      stack.graphql<{ me: { id: string; sessions: (SessionView & { current: boolean })[] } | null }>(
        `query ($includeEnded: Boolean) { me { id sessions(includeEnded: $includeEnded) { ${SESSION_FIELDS} } } }`,
        { includeEnded },
        token,
      ),
    revokeSession: (token: string, sessionId: string) =>
      stack.graphql<{ revokeSession: { sessions: SessionView[] } }>(
        `mutation ($input: RevokeSessionInput!) { revokeSession(input: $input) { sessions { ${SESSION_FIELDS} } } }`,
        { input: { sessionId } },
        token,
      ),
    revokeOtherSessions: (token: string) =>
      stack.graphql<{ revokeOtherSessions: { sessions: SessionView[] } }>(
        `mutation { revokeOtherSessions(input: {}) { sessions { ${SESSION_FIELDS} } } }`,
        {},
        token,
      ),
    revokeAllSessions: (token: string, input: { accountId?: string; tenantId?: string } = {}) =>
      stack.graphql<{ revokeAllSessions: { sessions: SessionView[] } }>(
        `mutation ($input: RevokeAllSessionsInput!) { revokeAllSessions(input: $input) { sessions { ${SESSION_FIELDS} } } }`,
        { input },
        token,
      ),
    signOut: (token: string) =>
      stack.graphql<{ signOut: { session: SessionView } }>(
        `mutation { signOut(input: {}) { session { ${SESSION_FIELDS} } } }`,
        {},
        token,
      ),
    disableAccount: (token: string, input: { tenantId: string; accountId: string; reason: string }) =>
      stack.graphql<{ disableAccount: { account: { id: string; status: string } } }>(
        `mutation ($input: DisableAccountInput!) { disableAccount(input: $input) { account { id status } } }`,
        { input },
        token,
      ),
    enableAccount: (token: string, input: { tenantId: string; accountId: string; reason: string }) =>
      stack.graphql<{ enableAccount: { account: { id: string; status: string } } }>(
        `mutation ($input: EnableAccountInput!) { enableAccount(input: $input) { account { id status } } }`,
        { input },
        token,
      ),
  };
}

export type SessionsApi = ReturnType<typeof sessionsApi>;
