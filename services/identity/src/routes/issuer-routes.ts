import type { Express } from 'express';
import { tenantIssuer } from '@messngr/kit/core';
import type { TenantReplicaRepository } from '../persistence/tenant-replica.repository';
import type { SigningKeys } from '../tokens/signing-keys';
import { ACCESS_TOKEN_ALGORITHM } from '../tokens/signing-keys';

/**
 * Public per-tenant issuer documents, reached through the gateway at
 * `{PUBLIC_URL}/t/{slug}/...`: the JWKS and an OpenID discovery document listing what
 * exists today (the authorization endpoints arrive with Messngr's own provider).
 */
export function mountIssuerRoutes(
  app: Express,
  deps: { tenants: TenantReplicaRepository; keys: SigningKeys; publicUrl: string },
): void {
  app.get('/t/:slug/jwks.json', async (req, res, next) => {
    try {
      const tenant = await deps.tenants.findBySlug(req.params.slug);
      if (!tenant) return void res.status(404).json({ error: 'not_found' });
      res.setHeader('cache-control', 'public, max-age=60');
      // The set names its tenant too (RFC 7517 §5 lets a set carry more members): the gateway binds `tid` to it.
      res.json({ ...(await deps.keys.jwks(tenant._id)), messngr_tenant_id: tenant._id });
    } catch (error) {
      next(error);
    }
  });
  app.get('/t/:slug/.well-known/openid-configuration', async (req, res, next) => {
    try {
      const tenant = await deps.tenants.findBySlug(req.params.slug);
      if (!tenant) return void res.status(404).json({ error: 'not_found' });
      const issuer = tenantIssuer(deps.publicUrl, tenant.slug);
      res.setHeader('cache-control', 'public, max-age=300');
      res.json({
        issuer,
        jwks_uri: `${issuer}/jwks.json`,
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: [ACCESS_TOKEN_ALGORITHM],
        access_token_signing_alg_values_supported: [ACCESS_TOKEN_ALGORITHM],
      });
    } catch (error) {
      next(error);
    }
  });
}
