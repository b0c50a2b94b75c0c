import type { Express, Request } from 'express';
import { ANONYMOUS, ASSERTION_HEADER, type AssertionSigner, type Caller } from '@messngr/kit/auth';
import {
  decodeCookieRequests,
  FORWARDED_COOKIE_HEADER,
  parseCookieHeader,
  serializeSetCookie,
  SET_COOKIE_HEADER,
} from '@messngr/kit/http';

/** The cookies that bind upstream flows to a browser: the only ones the callback passes on. */
export const FLOW_BINDING_PREFIX = 'mfl_';

const PUBLIC_DOCUMENTS = ['/t/:slug/jwks.json'];
const UPSTREAM_CALLBACK = '/t/:slug/callback';

/**
 * Serves the tenants' issuer paths on the public port; the identity subgraph owns them. The
 * documents are public; the upstream providers' callback is a browser navigation that changes
 * state, so it goes on with the gateway's assertion (anonymous, with the browser's address and
 * user agent), and its redirect is passed back to the browser as it is.
 */
export function mountIssuerProxy(
  app: Express,
  identityUrl: string,
  options: { signer: AssertionSigner; origin: (req: Request) => Pick<Caller, 'clientIp' | 'userAgent'>; secureCookies: boolean },
): void {
  for (const path of PUBLIC_DOCUMENTS) {
    app.get(path, async (req, res) => {
      try {
        const upstream = await fetch(`${identityUrl}${req.path}`, { signal: AbortSignal.timeout(5_000) });
        res.status(upstream.status);
        const cacheControl = upstream.headers.get('cache-control');
        if (cacheControl) res.setHeader('cache-control', cacheControl);
        res.setHeader('content-type', upstream.headers.get('content-type') ?? 'application/json');
        res.send(Buffer.from(await upstream.arrayBuffer()));
      } catch {
        res.status(502).json({ error: 'identity_unavailable' });
      }
    });
  }
  app.get(UPSTREAM_CALLBACK, async (req, res) => {
    res.setHeader('cache-control', 'no-store');
    try {
      const assertion = await options.signer.sign({ ...ANONYMOUS, ...options.origin(req) }, 'identity');
      const bindings = [...parseCookieHeader(req.header('cookie'))]
        .filter(([name]) => name.startsWith(FLOW_BINDING_PREFIX))
        .map(([name, value]) => `${name}=${value}`)
        .join('; ');
      const upstream = await fetch(`${identityUrl}${req.originalUrl}`, {
        headers: { [ASSERTION_HEADER]: assertion, ...(bindings ? { [FORWARDED_COOKIE_HEADER]: bindings } : {}) },
        redirect: 'manual',
        // The code exchange with the provider happens inside, within its own bounded timeouts.
        signal: AbortSignal.timeout(30_000),
      });
      res.status(upstream.status);
      for (const header of ['location', 'content-type', 'content-security-policy', 'referrer-policy']) {
        const value = upstream.headers.get(header);
        if (value) res.setHeader(header, value);
      }
      const requested = upstream.headers.get(SET_COOKIE_HEADER);
      if (requested) {
        for (const cookie of decodeCookieRequests(requested)) {
          if (cookie.name.startsWith(FLOW_BINDING_PREFIX) && cookie.callbackPath === req.path) {
            res.append('Set-Cookie', serializeSetCookie(cookie, { secure: options.secureCookies }));
          }
        }
      }
      res.send(Buffer.from(await upstream.arrayBuffer()));
    } catch {
      res.status(502).type('text/plain').send('The sign-in could not be completed; go back to the app and start again.');
    }
  });
}
