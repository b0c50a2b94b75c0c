import type { Caller } from '@messngr/kit/auth';
import type { CookieRequest } from '@messngr/kit/http';

export interface GatewayContext {
  caller: Caller;
  correlationId: string;
  /** The client's Cookie header, relayed only to the subgraphs that own cookies. */
  cookieHeader?: string;
  /** Writes `Set-Cookie` on the client's response, with the gateway's fixed attributes. */
  setCookie(request: CookieRequest): void;
  /** Set when a subgraph signals that this request revoked something: the answer waits for the revocation feed. */
  revocation: { signalled: boolean };
}
