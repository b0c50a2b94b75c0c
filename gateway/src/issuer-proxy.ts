import type { Express } from 'express';

const PROXIED_PATHS = ['/t/:slug/jwks.json', '/t/:slug/.well-known/openid-configuration'];

/** Serves the tenants' issuer documents on the public port; the identity subgraph owns them. */
export function mountIssuerProxy(app: Express, identityUrl: string): void {
  for (const path of PROXIED_PATHS) {
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
}
