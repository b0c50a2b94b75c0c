import type { Express } from 'express';
import { encodeCookieRequests, FORWARDED_COOKIE_HEADER, parseCookieHeader, SET_COOKIE_HEADER } from '@messngr/kit/http';
import type { RouteGuards } from '@messngr/kit/subgraph';
import type { Logger } from '@messngr/kit/logging';
import { type ERROR_CODES } from '@messngr/contracts';
import type { ProviderLoginDependencies } from '../dependencies';
import { handleProviderCallback } from '../use-cases/provider-callback';

/**
 * `{issuer}/callback`, the redirect URI registered with every upstream provider, reached
 * through the gateway (which vouches for the request). The browser is sent on to the flow's
 * return URL; a callback that proves no flow of ours gets a plain page and no redirect.
 */
export function mountProviderCallbackRoute(
  app: Express,
  deps: ProviderLoginDependencies,
  guards: RouteGuards,
  logger: Logger,
): void {
  app.get('/t/:slug/callback', guards.gatewayOnly, async (req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.setHeader('referrer-policy', 'no-referrer');
    try {
      const url = new URL(req.originalUrl, 'http://callback.invalid');
      const cookies = parseCookieHeader(req.header(FORWARDED_COOKIE_HEADER));
      const answer = await handleProviderCallback(deps, String(req.params['slug']), url, cookies);
      if ('redirectTo' in answer) {
        // The flow is spent: its binding cookie goes.
        const clear = { name: answer.clearCookie, value: '', domain: null, maxAgeSeconds: 0, callbackPath: url.pathname };
        res.setHeader(SET_COOKIE_HEADER, encodeCookieRequests([clear]));
        return void res.redirect(303, answer.redirectTo);
      }
      res.status(400).type('html').setHeader('content-security-policy', "default-src 'none'");
      res.send(errorPage(answer.refused));
    } catch (error) {
      // Never the query string: it holds the code.
      logger.error(
        { err: error instanceof Error ? { name: error.name, message: error.message } : 'unknown' },
        'provider callback failed',
      );
      res.status(502).type('html').setHeader('content-security-policy', "default-src 'none'");
      res.send(errorPage('UPSTREAM_UNAVAILABLE'));
    }
  });
}

function errorPage(code: keyof typeof ERROR_CODES): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in failed</title></head><body><main><h1>Sign-in failed</h1><p>This sign-in link is not valid any more. Go back to the app and start again.</p><p><code id="error-code">${code}</code></p></main></body></html>`;
}
