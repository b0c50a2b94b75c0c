import express, { type Express, type Request, type Response } from 'express';
import { ANONYMOUS, ASSERTION_HEADER, type AssertionSigner, type Caller } from '@messngr/kit/auth';
import { REVOCATION_SIGNAL_HEADER } from '@messngr/kit/http';
import type { Logger } from '@messngr/kit/logging';

/** What a browser or client sends that the authorization server reads; nothing else passes. */
const REQUEST_HEADERS = [
  'accept',
  'accept-language',
  'authorization',
  'content-type',
  'cookie',
  'origin',
  'access-control-request-method',
  'access-control-request-headers',
];
const ANSWER_HEADERS = [
  'location',
  'content-type',
  'cache-control',
  'pragma',
  'content-security-policy',
  'www-authenticate',
  'retry-after',
  'vary',
  'referrer-policy',
  'x-frame-options',
  'x-content-type-options',
  'cross-origin-opener-policy',
  'access-control-allow-origin',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-allow-credentials',
  'access-control-expose-headers',
  'access-control-max-age',
];
const BODY_LIMIT = '64kb';
const TIMEOUT_MS = 15_000;

export interface AuthorizationServerProxyOptions {
  signer: AssertionSigner;
  /** The caller an `Authorization: Bearer` header proves, exactly as for GraphQL (revocations included). */
  authenticate: (authorization: string) => Promise<Caller>;
  origin: (req: Request) => Pick<Caller, 'clientIp' | 'userAgent'>;
  /**
   * Resolves once the revocation list reflects what is on the broker: an answer that revoked
   * something (a token revoked, a sign-out) waits for it, so the next request is refused.
   */
  fenceRevocations: () => Promise<boolean>;
  logger: Logger;
}

/**
 * Each tenant's OAuth 2.0 / OpenID Connect provider, which the identity subgraph runs under the
 * tenant's issuer path: requests go on with the gateway's assertion (anonymous, with the
 * client's address and user agent) and the few headers the protocol needs; answers come back
 * with their cookies and redirects as they are. Userinfo is the exception: its access token
 * is checked here as GraphQL's door checks it, so a revoked session is refused at once.
 */
export function mountAuthorizationServerProxy(app: Express, identityUrl: string, options: AuthorizationServerProxyOptions): void {
  const body = express.raw({ type: () => true, limit: BODY_LIMIT });
  app.all('/t/:slug/userinfo', body, async (req, res) => {
    let caller: Caller;
    try {
      caller = await options.authenticate(req.header('authorization') ?? '');
    } catch {
      res.setHeader('cache-control', 'no-store');
      res.setHeader('www-authenticate', 'Bearer error="invalid_token"');
      return void res.status(401).json({ error: 'invalid_token' });
    }
    await forward(req, res, identityUrl, { ...caller, ...options.origin(req) }, options, ['accept', 'accept-language']);
  });
  app.all('/t/:slug/*rest', body, (req, res) =>
    forward(req, res, identityUrl, { ...ANONYMOUS, ...options.origin(req) }, options),
  );
}

async function forward(
  req: Request,
  res: Response,
  identityUrl: string,
  caller: Caller,
  options: AuthorizationServerProxyOptions,
  passed: readonly string[] = REQUEST_HEADERS,
): Promise<void> {
  try {
    const headers: Record<string, string> = { [ASSERTION_HEADER]: await options.signer.sign(caller, 'identity') };
    for (const name of passed) {
      const value = req.header(name);
      if (value) headers[name] = value;
    }
    const hasBody = !['GET', 'HEAD'].includes(req.method) && Buffer.isBuffer(req.body) && req.body.length > 0;
    const upstream = await fetch(`${identityUrl}${req.originalUrl}`, {
      method: req.method,
      headers,
      ...(hasBody ? { body: req.body as Buffer } : {}),
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    res.status(upstream.status);
    for (const name of ANSWER_HEADERS) {
      const value = upstream.headers.get(name);
      if (value) res.setHeader(name, value);
    }
    const cookies = upstream.headers.getSetCookie();
    if (cookies.length > 0) res.setHeader('set-cookie', cookies);
    const answer = Buffer.from(await upstream.arrayBuffer());
    if (upstream.headers.get(REVOCATION_SIGNAL_HEADER) && !(await options.fenceRevocations())) {
      options.logger.warn({}, 'answered a revocation before the revocation feed caught up');
    }
    res.send(answer);
  } catch (error) {
    options.logger.warn(
      { err: error instanceof Error ? { name: error.name, message: error.message } : 'unknown' },
      'authorization server unreachable',
    );
    if (!res.headersSent) res.status(502).type('text/plain').send('Sign-in is not available right now; try again shortly.');
  }
}
