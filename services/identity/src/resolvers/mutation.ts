import { asTenantId } from '@messngr/kit/core';
import { DomainError } from '@messngr/kit/errors';
import type { IdentityDependencies } from '../dependencies';
import type { MutationResolvers } from '../generated/resolvers-types';
import { completeLogin } from '../use-cases/complete-login';
import { completeProviderLogin } from '../use-cases/complete-provider-login';
import { createAccount } from '../use-cases/create-account';
import { setAccountRoles } from '../use-cases/account-roles';
import { revokeAllSessions, revokeOtherSessions, revokeSession, signOut } from '../use-cases/end-sessions';
import { refreshSession } from '../use-cases/refresh-session';
import { resendLoginCode } from '../use-cases/resend-login-code';
import { rotateSigningKeys } from '../use-cases/rotate-signing-keys';
import { setAccountStatus } from '../use-cases/set-account-status';
import { startLogin } from '../use-cases/start-login';
import { startProviderLogin } from '../use-cases/start-provider-login';
import { updateProfile } from '../use-cases/update-profile';
import { endsTheCookie, handOverSignIn, RefreshTokenCarrier } from './refresh-token-delivery';

export function mutationResolvers(deps: IdentityDependencies): MutationResolvers {
  return {
    createAccount: async (_parent, { input }, { caller }) => ({
      account: await createAccount(deps, caller, { ...input, tenantId: asTenantId(input.tenantId) }),
    }),
    startLogin: async (_parent, { input }, { caller }) => ({
      flow: await startLogin(deps, caller, { ...input, tenantId: asTenantId(input.tenantId) }),
    }),
    resendLoginCode: async (_parent, { input }, { caller }) => ({ flow: await resendLoginCode(deps, caller, input) }),
    completeLogin: async (_parent, { input }, { caller, cookies }) =>
      handOverSignIn(deps, cookies, await completeLogin(deps, caller, input), input.refreshTokenDelivery),
    startProviderLogin: async (_parent, { input }, { caller, cookies }) => {
      const started = await startProviderLogin(deps, caller, { ...input, tenantId: asTenantId(input.tenantId) });
      cookies.set({ ...started.browserBinding, domain: null });
      return started;
    },
    completeProviderLogin: async (_parent, { input }, { caller, cookies }) =>
      handOverSignIn(deps, cookies, await completeProviderLogin(deps, caller, input), input.refreshTokenDelivery),
    refreshSession: async (_parent, { input }, { cookies, signalRevocation }) => {
      const carrier = new RefreshTokenCarrier(deps.tenants, cookies);
      const presented = await carrier.presented(input);
      try {
        const refreshed = await refreshSession(deps, { refreshToken: presented.token });
        const delivery = input.refreshTokenDelivery ?? (presented.fromCookie ? 'COOKIE' : 'BODY');
        return {
          ...refreshed,
          refreshToken: await carrier.handOver(refreshed.refreshToken, refreshed.session, delivery, deps.clock.now()),
        };
      } catch (error) {
        if (presented.fromCookie && endsTheCookie(error)) await carrier.clear(asTenantId(input.tenantId!));
        // A reuse revoked the whole session.
        if (error instanceof DomainError && error.code === 'REFRESH_TOKEN_REUSED') signalRevocation();
        throw error;
      }
    },
    signOut: async (_parent, _args, { caller, cookies, signalRevocation }) => {
      const session = await signOut(deps, caller).finally(signalRevocation);
      await new RefreshTokenCarrier(deps.tenants, cookies).clear(session.tenantId);
      return { session };
    },
    revokeSession: async (_parent, { input }, { caller, signalRevocation }) => ({
      sessions: [await revokeSession(deps, caller, input).finally(signalRevocation)],
    }),
    revokeOtherSessions: async (_parent, _args, { caller, signalRevocation }) => ({
      sessions: await revokeOtherSessions(deps, caller).finally(signalRevocation),
    }),
    revokeAllSessions: async (_parent, { input }, { caller, signalRevocation }) => ({
      sessions: await revokeAllSessions(deps, caller, input).finally(signalRevocation),
    }),
    updateProfile: async (_parent, { input }, { caller }) => ({ account: await updateProfile(deps, caller, input) }),
    disableAccount: async (_parent, { input }, { caller, signalRevocation }) => ({
      account: await setAccountStatus(deps, caller, { ...input, tenantId: asTenantId(input.tenantId), enabled: false }).finally(
        signalRevocation,
      ),
    }),
    enableAccount: async (_parent, { input }, { caller }) => ({
      account: await setAccountStatus(deps, caller, { ...input, tenantId: asTenantId(input.tenantId), enabled: true }),
    }),
    rotateSigningKeys: async (_parent, { input }, { caller }) => ({
      keys: (await rotateSigningKeys(deps, caller, { tenantId: asTenantId(input.tenantId) })).keys,
    }),
    setAccountRoles: async (_parent, { input }, { caller, signalRevocation }) => ({
      account: await setAccountRoles(deps, caller, { ...input, roles: input.roles.map((role) => role.toLowerCase()) }).finally(
        signalRevocation,
      ),
    }),
  };
}
