import { eventually } from './eventually';
import type { GraphQLResponse, Stack } from './stack';
import { ok } from './tenant-api';

export const OAUTH_CLIENT_FIELDS = `id tenantId name kind applicationType firstParty redirectUris postLogoutRedirectUris grantTypes scopes
  hasSecret secretRotatedAt createdAt updatedAt`;

export interface OAuthClientView {
  id: string;
  tenantId: string;
  name: string;
  kind: 'PUBLIC' | 'CONFIDENTIAL' | 'DEVICE';
  applicationType: 'WEB' | 'NATIVE';
  firstParty: boolean;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  grantTypes: string[];
  scopes: string[];
  hasSecret: boolean;
  secretRotatedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface RegisterOAuthClientInput {
  tenantId: string;
  name: string;
  kind: OAuthClientView['kind'];
  applicationType?: OAuthClientView['applicationType'];
  firstParty?: boolean;
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  grantTypes?: string[];
  scopes?: string[];
}

/** The identity subgraph's OAuth client administration, as a tenant's administrators call it through the gateway. */
export function oauthClientsApi(stack: Stack) {
  const mutate = <Data>(field: string, inputType: string, selection: string, token: string | undefined, input: unknown) =>
    stack.graphql<Data>(`mutation ($input: ${inputType}!) { ${field}(input: $input) { ${selection} } }`, { input }, token);
  const register = (token: string | undefined, input: RegisterOAuthClientInput) =>
    mutate<{ registerOAuthClient: { client: OAuthClientView; clientSecret: string | null } }>(
      'registerOAuthClient',
      'RegisterOAuthClientInput',
      `client { ${OAUTH_CLIENT_FIELDS} } clientSecret`,
      token,
      input,
    );
  return {
    register,
    /** Registers once identity knows the tenant (it learns of tenants from events); the client and its secret. */
    registered: (token: string | undefined, input: RegisterOAuthClientInput) =>
      eventually(async () => ok(await register(token, input)).registerOAuthClient),
    update: (token: string | undefined, input: Partial<RegisterOAuthClientInput> & { tenantId: string; clientId: string }) =>
      mutate<{ updateOAuthClient: { client: OAuthClientView } }>(
        'updateOAuthClient',
        'UpdateOAuthClientInput',
        `client { ${OAUTH_CLIENT_FIELDS} }`,
        token,
        input,
      ),
    rotateSecret: (token: string | undefined, input: { tenantId: string; clientId: string }) =>
      mutate<{ rotateOAuthClientSecret: { client: OAuthClientView; clientSecret: string } }>(
        'rotateOAuthClientSecret',
        'OAuthClientReferenceInput',
        `client { ${OAUTH_CLIENT_FIELDS} } clientSecret`,
        token,
        input,
      ),
    remove: (token: string | undefined, input: { tenantId: string; clientId: string }) =>
      mutate<{ removeOAuthClient: { removedClientId: string } }>(
        'removeOAuthClient',
        'OAuthClientReferenceInput',
        'removedClientId',
        token,
        input,
      ),
    list: (
      token: string | undefined,
      args: { tenantId: string; first?: number; after?: string | null },
    ): Promise<
      GraphQLResponse<{
        oauthClients: {
          edges: { cursor: string; node: OAuthClientView }[];
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
      }>
    > =>
      stack.graphql(
        `query ($tenantId: ID!, $first: Int, $after: String) {
          oauthClients(tenantId: $tenantId, first: $first, after: $after) {
            edges { cursor node { ${OAUTH_CLIENT_FIELDS} } } pageInfo { hasNextPage endCursor }
          }
        }`,
        args,
        token,
      ),
  };
}

export type OAuthClientsApi = ReturnType<typeof oauthClientsApi>;
