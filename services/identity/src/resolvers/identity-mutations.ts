import { asTenantId } from '@messngr/kit/core';
import type { IdentityDependencies } from '../dependencies';
import type { MutationResolvers } from '../generated/resolvers-types';
import { cancelIdentityLink, startIdentityLink, verifyIdentityLinkCode } from '../use-cases/identity-link';
import { cancelIdentityRemoval, confirmIdentityRemoval, requestIdentityRemoval } from '../use-cases/identity-removal';
import { completeOperatorRecovery, startOperatorRecovery } from '../use-cases/operator-recovery';
import { completeReauthentication, startReauthentication } from '../use-cases/reauthentication';
import { generateRecoveryCodes, signInWithRecoveryCode } from '../use-cases/recovery-codes';
import { revokeIdentity } from '../use-cases/revoke-identity';
import { handOverSignIn } from './refresh-token-delivery';

/** Account self-service: linking, removing and revoking identities, re-authentication and recovery. */
export function identityMutationResolvers(deps: IdentityDependencies): MutationResolvers {
  return {
    startIdentityLink: async (_parent, { input }, { caller, cookies }) => {
      const started = await startIdentityLink(deps, caller, input);
      if (started.browserBinding) cookies.set({ ...started.browserBinding, domain: null });
      return { flow: started.flow, authorizeUrl: started.authorizeUrl };
    },
    verifyIdentityLinkCode: (_parent, { input }, { caller }) => verifyIdentityLinkCode(deps, caller, input),
    cancelIdentityLink: async (_parent, { input }, { caller }) => ({ flow: await cancelIdentityLink(deps, caller, input) }),
    requestIdentityRemoval: (_parent, { input }, { caller }) => requestIdentityRemoval(deps, caller, input),
    confirmIdentityRemoval: async (_parent, { input }, { caller }) => {
      const { removal, removed } = await confirmIdentityRemoval(deps, caller, input);
      return { removal, removedIdentityId: removed.id };
    },
    cancelIdentityRemoval: async (_parent, { input }, { caller }) => ({
      removal: await cancelIdentityRemoval(deps, caller, input),
    }),
    revokeIdentity: async (_parent, { input }, { caller, signalRevocation }) => {
      const { revoked, endedSessions } = await revokeIdentity(deps, caller, input).finally(signalRevocation);
      return { revokedIdentityId: revoked.id, endedSessions };
    },
    startReauthentication: async (_parent, { input }, { caller, cookies }) => {
      const started = await startReauthentication(deps, caller, input);
      if (started.browserBinding) cookies.set({ ...started.browserBinding, domain: null });
      return started;
    },
    completeReauthentication: async (_parent, { input }, { caller }) => ({
      session: await completeReauthentication(deps, caller, input),
    }),
    generateRecoveryCodes: (_parent, _args, { caller }) => generateRecoveryCodes(deps, caller),
    startOperatorRecovery: (_parent, { input }, { caller }) =>
      startOperatorRecovery(deps, caller, { ...input, tenantId: asTenantId(input.tenantId) }),
    completeOperatorRecovery: async (_parent, { input }, { caller, cookies }) =>
      handOverSignIn(deps, cookies, await completeOperatorRecovery(deps, caller, input), input.refreshTokenDelivery),
    signInWithRecoveryCode: async (_parent, { input }, { caller, cookies }) =>
      handOverSignIn(
        deps,
        cookies,
        await signInWithRecoveryCode(deps, caller, { ...input, tenantId: asTenantId(input.tenantId) }),
        input.refreshTokenDelivery,
      ),
  };
}
