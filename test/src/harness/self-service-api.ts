import type { ProviderSignInApi } from './provider-sign-in';
import { SESSION_FIELDS, type SessionView, type SignedIn } from './sign-in';
import type { GraphQLResponse, Stack } from './stack';

export interface IdentityView {
  id: string;
  kind: string;
  displayValue: string;
  verified: boolean;
  verifiedAt: string | null;
  linkedAt: string;
  lastUsedAt: string | null;
  provider: { id: string } | null;
}

export interface LinkFlowView {
  id: string;
  method: string;
  state: string;
  destination: string | null;
  failure: string | null;
  expiresAt: string;
  linkedIdentity: IdentityView | null;
}

const IDENTITY_FIELDS = 'id kind displayValue verified verifiedAt linkedAt lastUsedAt provider { id }';
const LINK_FLOW_FIELDS = `id method state destination failure expiresAt linkedIdentity { ${IDENTITY_FIELDS} }`;

/** Account self-service as a signed-in frontend calls it through the gateway. */
export function selfServiceApi(stack: Stack, browser: ProviderSignInApi) {
  const call = <Data>(query: string, input: Record<string, unknown>, token: string) =>
    stack.graphql<Data>(query, { input }, token);
  return {
    myIdentities: async (token: string): Promise<IdentityView[]> => {
      const response = await stack.graphql<{ me: { identities: IdentityView[] } | null }>(
        `{ me { identities { ${IDENTITY_FIELDS} } } }`,
        {},
        token,
      );
      if (!response.data?.me) throw new Error(`me failed: ${JSON.stringify(response.errors)}`);
      return response.data.me.identities;
    },
    /** Through "the" browser, so a provider link's flow cookie is kept for its callback. */
    startIdentityLink: (token: string, input: Record<string, unknown>) =>
      browser.browserGraphql<{ startIdentityLink: { flow: LinkFlowView; authorizeUrl: string | null } }>(
        `mutation ($input: StartIdentityLinkInput!) { startIdentityLink(input: $input) { flow { ${LINK_FLOW_FIELDS} } authorizeUrl } }`,
        { input },
        token,
      ),
    verifyIdentityLinkCode: (token: string, flowId: string, code: string) =>
      call<{ verifyIdentityLinkCode: { flow: LinkFlowView; identity: IdentityView } }>(
        `mutation ($input: VerifyIdentityLinkCodeInput!) {
          verifyIdentityLinkCode(input: $input) { flow { ${LINK_FLOW_FIELDS} } identity { ${IDENTITY_FIELDS} } }
        }`,
        { flowId, code },
        token,
      ),
    cancelIdentityLink: (token: string, flowId: string) =>
      call<{ cancelIdentityLink: { flow: LinkFlowView } }>(
        `mutation ($input: CancelIdentityLinkInput!) { cancelIdentityLink(input: $input) { flow { ${LINK_FLOW_FIELDS} } } }`,
        { flowId },
        token,
      ),
    identityLinkFlow: (token: string, id: string) =>
      stack.graphql<{ identityLinkFlow: LinkFlowView | null }>(
        `query ($id: ID!) { identityLinkFlow(id: $id) { ${LINK_FLOW_FIELDS} } }`,
        { id },
        token,
      ),
    requestIdentityRemoval: (token: string, identityId: string) =>
      call<{ requestIdentityRemoval: { removal: { id: string; state: string; expiresAt: string }; confirmation: string } }>(
        `mutation ($input: RequestIdentityRemovalInput!) {
          requestIdentityRemoval(input: $input) { removal { id identityId state expiresAt } confirmation }
        }`,
        { identityId },
        token,
      ),
    confirmIdentityRemoval: (token: string, removalId: string, confirmation: string) =>
      call<{ confirmIdentityRemoval: { removal: { id: string; state: string }; removedIdentityId: string } }>(
        `mutation ($input: ConfirmIdentityRemovalInput!) {
          confirmIdentityRemoval(input: $input) { removal { id state } removedIdentityId }
        }`,
        { removalId, confirmation },
        token,
      ),
    revokeIdentity: (token: string, input: { identityId: string; reason: string; accountId?: string; tenantId?: string }) =>
      call<{ revokeIdentity: { revokedIdentityId: string; endedSessions: SessionView[] } }>(
        `mutation ($input: RevokeIdentityInput!) {
          revokeIdentity(input: $input) { revokedIdentityId endedSessions { ${SESSION_FIELDS} } }
        }`,
        input,
        token,
      ),
    startReauthentication: (token: string, input: { identityId: string; returnTo?: string }) =>
      browser.browserGraphql<{
        startReauthentication: { flowId: string; destination: string | null; authorizeUrl: string | null };
      }>(
        `mutation ($input: StartReauthenticationInput!) { startReauthentication(input: $input) { flowId destination authorizeUrl expiresAt } }`,
        { input },
        token,
      ),
    completeReauthentication: (token: string, flowId: string, code: string) =>
      call<{ completeReauthentication: { session: SessionView & { authenticatedAt: string } } }>(
        `mutation ($input: CompleteReauthenticationInput!) { completeReauthentication(input: $input) { session { ${SESSION_FIELDS} } } }`,
        { flowId, code },
        token,
      ),
    generateRecoveryCodes: async (token: string) => {
      const response = await call<{ generateRecoveryCodes: { codes: string[]; generatedAt: string } }>(
        `mutation ($input: GenerateRecoveryCodesInput!) { generateRecoveryCodes(input: $input) { codes generatedAt } }`,
        {},
        token,
      );
      for (const code of response.data?.generateRecoveryCodes.codes ?? []) stack.handledSecrets.add(code);
      return response;
    },
    signInWithRecoveryCode: async (input: {
      tenantId: string;
      handle: string;
      code: string;
    }): Promise<GraphQLResponse<{ signInWithRecoveryCode: SignedIn }>> => {
      const response = await stack.graphql<{ signInWithRecoveryCode: SignedIn }>(
        `mutation ($input: SignInWithRecoveryCodeInput!) {
          signInWithRecoveryCode(input: $input) {
            accessToken refreshToken accountCreated session { ${SESSION_FIELDS} } account { id tenantId displayName }
          }
        }`,
        { input },
      );
      const signedIn = response.data?.signInWithRecoveryCode;
      if (signedIn) {
        stack.handledSecrets.add(signedIn.accessToken);
        if (signedIn.refreshToken) stack.handledSecrets.add(signedIn.refreshToken);
      }
      return response;
    },
  };
}

export type SelfServiceApi = ReturnType<typeof selfServiceApi>;
