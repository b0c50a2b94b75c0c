import { createHash } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import type { Caller } from '@messngr/kit/auth';
import { asTenantId } from '@messngr/kit/core';
import { TenantKeySets, UnknownIssuerError, type KeySetOptions } from './tenant-key-sets';

const ALLOWED_ALGORITHMS = ['ES256'];
const TENANT_SLUG = /^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$/;
const MAX_TOKEN_LENGTH = 4096;
const MAX_CACHED_TOKENS = 50_000;

export class InvalidAccessTokenError extends Error {}

export interface VerifiedToken {
  caller: Caller;
  /** When it expires, in ms. */
  expiresAt: number;
}

export interface AccessTokenVerifierOptions {
  publicUrl: string;
  identityUrl: string;
  audience: string;
  /** Tokens issued longer ago than this are refused, whatever their `exp`. */
  maxTokenAgeSeconds: number;
  clockToleranceSeconds?: number;
  keySets?: Omit<KeySetOptions, 'identityUrl'>;
  now?: () => number;
}

/**
 * Verifies access tokens: ES256 only, `typ: at+jwt`, issued by one of our tenant issuers
 * (`{publicUrl}/t/{slug}`) for our audience, not expired, not too old, and with `tid` the
 * issuer's own tenant. A verified token is remembered (by its hash) for the rest of its life,
 * so a busy client costs one signature check per token, not per request.
 */
export class AccessTokenVerifier {
  readonly #keys: TenantKeySets;
  readonly #verified = new Map<string, VerifiedToken>();
  readonly #now: () => number;

  constructor(private readonly options: AccessTokenVerifierOptions) {
    this.#now = options.now ?? Date.now;
    this.#keys = new TenantKeySets({ ...options.keySets, identityUrl: options.identityUrl, now: this.#now });
  }

  async verify(token: string): Promise<Caller> {
    if (token.length > MAX_TOKEN_LENGTH) throw new InvalidAccessTokenError('token too long');
    const cacheKey = createHash('sha256').update(token).digest('base64url');
    const cached = this.#verified.get(cacheKey);
    const now = this.#now();
    if (cached && cached.expiresAt > now) return cached.caller;
    if (cached) this.#verified.delete(cacheKey);
    const verified = await this.verifyFresh(token);
    if (this.#verified.size >= MAX_CACHED_TOKENS) this.evictExpired(now);
    if (this.#verified.size < MAX_CACHED_TOKENS) this.#verified.set(cacheKey, verified);
    return verified.caller;
  }

  private async verifyFresh(token: string): Promise<VerifiedToken> {
    let issuer: string;
    let kid: string | undefined;
    let alg: string | undefined;
    try {
      const claims = decodeJwt(token);
      if (typeof claims.iss !== 'string') throw new InvalidAccessTokenError('no issuer');
      issuer = claims.iss;
      ({ kid, alg } = decodeProtectedHeader(token));
    } catch {
      throw new InvalidAccessTokenError('malformed token');
    }
    // Before any key is looked up: a token that can never verify must not cost a JWKS fetch (its kid is unknown).
    if (!alg || !ALLOWED_ALGORITHMS.includes(alg)) throw new InvalidAccessTokenError('algorithm not allowed');
    const slug = this.tenantSlugOf(issuer);
    try {
      const keys = await this.#keys.keysFor(slug, kid);
      const { payload } = await jwtVerify(token, keys.verify, {
        algorithms: ALLOWED_ALGORITHMS,
        typ: 'at+jwt',
        issuer,
        audience: this.options.audience,
        clockTolerance: this.options.clockToleranceSeconds ?? 30,
        maxTokenAge: this.options.maxTokenAgeSeconds,
        currentDate: new Date(this.#now()),
        requiredClaims: ['sub', 'exp', 'iat', 'tid', 'jti'],
      });
      const {
        sub,
        tid,
        sid,
        roles,
        exp,
        restricted,
        client_id: clientId,
      } = payload as {
        sub: unknown;
        tid: unknown;
        sid?: unknown;
        roles?: unknown;
        exp?: unknown;
        restricted?: unknown;
        client_id?: unknown;
      };
      if (typeof sub !== 'string' || typeof tid !== 'string' || typeof exp !== 'number') {
        throw new InvalidAccessTokenError('claims of the wrong type');
      }
      if (clientId !== undefined && typeof clientId !== 'string') throw new InvalidAccessTokenError('claims of the wrong type');
      // A token's tenant is its issuer's tenant: a signed `tid` of another tenant is refused.
      if (tid !== keys.tenantId) throw new InvalidAccessTokenError('tid is not the issuer tenant');
      const tenantId = asTenantId(tid);
      // RFC 9068 §2.2: a client acting for itself is its own subject; it has no session, account or roles.
      if (sid === undefined) {
        if (clientId !== sub || roles !== undefined || restricted !== undefined) {
          throw new InvalidAccessTokenError('a token without a session must be a client credentials token');
        }
        return { caller: { tenantId, clientId, roles: [] }, expiresAt: exp * 1000 };
      }
      if (typeof sid !== 'string') throw new InvalidAccessTokenError('claims of the wrong type');
      return {
        caller: {
          accountId: sub,
          tenantId,
          sessionId: sid,
          roles: Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : [],
          ...(restricted === 'RECOVERY' ? { restricted: true } : {}),
          ...(clientId ? { clientId } : {}),
        },
        expiresAt: exp * 1000,
      };
    } catch (error) {
      if (error instanceof InvalidAccessTokenError) throw error;
      if (error instanceof UnknownIssuerError) throw new InvalidAccessTokenError('unknown issuer');
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

  private evictExpired(now: number): void {
    for (const [key, entry] of this.#verified) if (entry.expiresAt <= now) this.#verified.delete(key);
  }
}
