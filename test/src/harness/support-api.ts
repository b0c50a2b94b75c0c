import { SESSION_FIELDS, type SessionView } from './sign-in';
import type { GraphQLResponse, Stack } from './stack';

export const ACCOUNT_INSPECTION = `id tenantId displayName status roles
  identities { id kind displayValue verified }
  sessions(includeEnded: true) { ${SESSION_FIELDS} }
  devices(includeRevoked: true) { id name status }
  activity(first: 50) { edges { node { id type actorId actorType } } }`;

export interface InspectedAccount {
  id: string;
  tenantId: string;
  status: string;
  roles: string[];
  identities: { id: string; kind: string; displayValue: string; verified: boolean }[];
  sessions: SessionView[];
  devices: { id: string; name: string; status: string }[];
  activity: { edges: { node: { id: string; type: string; actorId: string | null; actorType: string | null } }[] };
}

/** What support staff and tenant administrators do to someone else's account, as a console calls it through the gateway. */
export function supportApi(stack: Stack) {
  const mutate = <Data>(mutation: string, inputType: string, token: string, input: Record<string, unknown>) =>
    stack.graphql<Data>(`mutation ($input: ${inputType}!) { ${mutation} }`, { input }, token);
  return {
    setAccountRoles: (token: string, input: { accountId: string; tenantId?: string; roles: string[]; reason?: string }) =>
      mutate<{ setAccountRoles: { account: { id: string; roles: string[] } } }>(
        'setAccountRoles(input: $input) { account { id roles } }',
        'SetAccountRolesInput',
        token,
        input,
      ),
    searchAccounts: (token: string, query: string, tenantId?: string) =>
      stack.graphql<{ accounts: { edges: { node: { id: string; tenantId: string } }[] } }>(
        `query ($query: String, $tenantId: ID) { accounts(query: $query, tenantId: $tenantId) { edges { node { id tenantId } } } }`,
        { query, ...(tenantId ? { tenantId } : {}) },
        token,
      ),
    inspect: (token: string, accountId: string, tenantId?: string) =>
      stack.graphql<{ account: InspectedAccount | null }>(
        `query ($id: ID!, $tenantId: ID) { account(id: $id, tenantId: $tenantId) { ${ACCOUNT_INSPECTION} } }`,
        { id: accountId, ...(tenantId ? { tenantId } : {}) },
        token,
      ),
    revokeSession: (token: string, input: { sessionId: string; accountId?: string; tenantId?: string; reason?: string }) =>
      mutate<{ revokeSession: { sessions: SessionView[] } }>(
        `revokeSession(input: $input) { sessions { ${SESSION_FIELDS} } }`,
        'RevokeSessionInput',
        token,
        input,
      ),
    revokeAllSessions: (token: string, input: { accountId?: string; tenantId?: string; reason?: string }) =>
      mutate<{ revokeAllSessions: { sessions: SessionView[] } }>(
        `revokeAllSessions(input: $input) { sessions { ${SESSION_FIELDS} } }`,
        'RevokeAllSessionsInput',
        token,
        input,
      ),
    revokeIdentity: (token: string, input: { identityId: string; accountId?: string; tenantId?: string; reason?: string }) =>
      mutate<{ revokeIdentity: { revokedIdentityId: string; endedSessions: SessionView[] } }>(
        `revokeIdentity(input: $input) { revokedIdentityId endedSessions { ${SESSION_FIELDS} } }`,
        'RevokeIdentityInput',
        token,
        input,
      ),
    disableAccount: (token: string, input: { tenantId: string; accountId: string; reason?: string }) =>
      mutate<{ disableAccount: { account: { id: string; status: string } } }>(
        'disableAccount(input: $input) { account { id status } }',
        'DisableAccountInput',
        token,
        input,
      ),
    enableAccount: (token: string, input: { tenantId: string; accountId: string; reason?: string }) =>
      mutate<{ enableAccount: { account: { id: string; status: string } } }>(
        'enableAccount(input: $input) { account { id status } }',
        'EnableAccountInput',
        token,
        input,
      ),
    startOperatorRecovery: (
      token: string,
      input: { tenantId: string; accountId: string; email: string; returnTo: string; reason?: string },
    ) =>
      mutate<{ startOperatorRecovery: { flowId: string; destination: string } }>(
        'startOperatorRecovery(input: $input) { flowId destination }',
        'StartOperatorRecoveryInput',
        token,
        input,
      ),
  };
}

export type SupportApi = ReturnType<typeof supportApi>;

export function codeOf(response: GraphQLResponse<unknown>): string | undefined {
  return response.errors?.[0]?.extensions?.code as string | undefined;
}
