import type { Express } from 'express';
import type { TenantReplicaRepository } from '../persistence/tenant-replica.repository';
import type { SigningKeys } from '../tokens/signing-keys';

/**
 * The tenant's public keys, reached through the gateway at `{PUBLIC_URL}/t/{slug}/jwks.json`:
 * every key a verifier may meet (the next one and retired ones too). The discovery document
 * is the tenant's authorization server's (authorization-server/).
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
}
