import type { IdentityDependencies } from '../dependencies';
import type { BrowserSignInRepository } from '../persistence/browser-sign-in.repository';

/** What Messngr's own authorization server needs: the sign-in doors' dependencies and its own records. */
export type AuthorizationServerDependencies = Pick<
  IdentityDependencies,
  | 'accounts'
  | 'claims'
  | 'tenants'
  | 'keys'
  | 'tokens'
  | 'sessions'
  | 'loginFlows'
  | 'lockouts'
  | 'sendSlots'
  | 'otpKey'
  | 'courier'
  | 'secretBox'
  | 'accessTokenTtlSeconds'
  | 'oauthClients'
  | 'providers'
  | 'providerFlows'
  | 'relyingParty'
  | 'providerCookies'
  | 'metrics'
  | 'logger'
  | 'clock'
  | 'publicUrl'
> & { browserSignIns: BrowserSignInRepository };
