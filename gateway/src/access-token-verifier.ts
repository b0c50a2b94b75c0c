import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Caller } from '@messngr/kit/auth';
import { asTenantId } from '@messngr/kit/core';

const ALLOWED_ALGORITHMS = ['ES256'];
const TENANT_SLUG = /^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$/;
const MAX_TOKEN_LENGTH = 8192;

export class InvalidAccessTokenError extends Error {}

/**
 * Verifies access tokens: ES256 only, `typ: at+jwt`, issued by one of our tenant issuers
 * (`{publicUrl}/t/{slug}`), for our audience, unexpired (30 s skew). Keys come from the
 * issuing tenant's JWKS, cached, and refetched on an unknown `kid` with a cool-down.
 */
export class AccessTokenVerifier {
  private readonly keySets = new Map<string, JWTVerifyGetKey>();

  constructor(
    private readonly options: { publicUrl: string; identityUrl: string; audience: string; clockToleranceSeconds?: number },
  ) {}

  async verify(token: string): Promise<Caller> {
    if (token.length > MAX_TOKEN_LENGTH) throw new InvalidAccessTokenError('token too long');
    let issuer: string;
    try {
      const claims = decodeJwt(token);
      if (typeof claims.iss !== 'string') throw new InvalidAccessTokenError('no issuer');
      issuer = claims.iss;
    } catch {
      throw new InvalidAccessTokenError('malformed token');
    }
    const slug = this.tenantSlugOf(issuer);
    try {
      const { payload } = await jwtVerify(token, this.keySetFor(slug), {
        algorithms: ALLOWED_ALGORITHMS,
        typ: 'at+jwt',
        issuer,
        audience: this.options.audience,
        clockTolerance: this.options.clockToleranceSeconds ?? 30,
        requiredClaims: ['sub', 'exp', 'iat', 'tid', 'sid'],
      });
      const { sub, tid, sid, roles } = payload as { sub: unknown; tid: unknown; sid: unknown; roles?: unknown };
      if (typeof sub !== 'string' || typeof tid !== 'string' || typeof sid !== 'string') {
        throw new InvalidAccessTokenError('claims of the wrong type');
      }
      return {
        accountId: sub,
        tenantId: asTenantId(tid),
        sessionId: sid,
        roles: Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : [],
      };
    } catch (error) {
      if (error instanceof InvalidAccessTokenError) throw error;
      if (error instanceof errors.JOSEError) throw new InvalidAccessTokenError(error.code);
      throw new InvalidAccessTokenError('verification failed');
    }
  }

  private tenantSlugOf(issuer: string): string {
    const prefix = `${this.options.publicUrl}/t/`;
    const slug = issuer.startsWith(prefix) ? issuer.slice(prefix.length) : '';
    if (!TENANT_SLUG.test(slug)) throw new InvalidAccessTokenError('unknown issuer');
    return slug;
  }

  private keySetFor(slug: string): JWTVerifyGetKey {
    let keySet = this.keySets.get(slug);
    if (!keySet) {
      if (this.keySets.size > 10_000) this.keySets.clear();
      keySet = createRemoteJWKSet(new URL(`${this.options.identityUrl}/t/${slug}/jwks.json`), {
        cooldownDuration: 30_000,
        cacheMaxAge: 10 * 60_000,
        timeoutDuration: 5_000,
      });
      this.keySets.set(slug, keySet);
    }
    return keySet;
  }
}
