import type { Request, Response } from 'express';
import { ANONYMOUS, type Caller } from '@messngr/kit/auth';
import type { AuthorizationServerDependencies } from './authorization-server-dependencies';
import type { AuthorizationServers } from './authorization-servers';
import { accountClaims, scopeSet } from './account-claims';

/**
 * OIDC userinfo: the gateway has checked the access token as for GraphQL (revocations
 * included); the claims are the account's, for the scopes of the session's grant.
 */
export async function userinfo(
  deps: AuthorizationServerDependencies,
  servers: AuthorizationServers,
  req: Request,
  res: Response,
): Promise<void> {
  res.setHeader('cache-control', 'no-store');
  const caller = (res.locals['caller'] as Caller | undefined) ?? ANONYMOUS;
  const authorization = await servers.forSlug(String(req.params['slug']));
  const refuse = () => {
    res.setHeader('www-authenticate', 'Bearer error="invalid_token"');
    res.status(401).json({ error: 'invalid_token' });
  };
  if (!authorization || !caller.accountId || !caller.sessionId || caller.tenantId !== authorization.tenant._id) return refuse();
  const session = await deps.sessions.findById(authorization.tenant._id, caller.sessionId);
  if (!session?.oauth || session.status !== 'ACTIVE' || !scopeSet(session.oauth.scope).has('openid')) {
    res.setHeader('www-authenticate', 'Bearer error="insufficient_scope", scope="openid"');
    return void res.status(403).json({ error: 'insufficient_scope' });
  }
  const account = await deps.accounts.findById(authorization.tenant._id, caller.accountId);
  if (!account || account.status !== 'ACTIVE') return refuse();
  res.json(accountClaims(account, scopeSet(session.oauth.scope)));
}
