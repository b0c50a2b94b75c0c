import { createPrivateKey, type KeyObject } from 'node:crypto';
import { importJWK, jwtVerify, type CryptoKey, type JWK } from 'jose';
import { asTenantId, type TenantId } from '../core/tenant-id';
import { signCompactJwt } from './compact-jwt';

/** Header carrying the gateway's signed statement of who is calling. */
export const ASSERTION_HEADER = 'x-messngr-assertion';
const ISSUER = 'messngr-gateway';
const ALGORITHM = 'EdDSA';
const LIFETIME_SECONDS = 60;
/** A cached assertion is reused while it has at least this long to live. */
const REUSE_MARGIN_SECONDS = 30;

export interface Caller {
  accountId?: string;
  tenantId?: TenantId;
  sessionId?: string;
  roles: string[];
  /**
   * A recovery session (signed in with a recovery code): it may only link a new identity and
   * make new recovery codes. `requireAuthenticated` refuses it everywhere else.
   */
  restricted?: boolean;
  /**
   * The OAuth client the access token was issued to. A client-credentials token (a partner's
   * service acting for itself) has this and a tenant, and no account, session or roles.
   */
  clientId?: string;
  /** Where the request came from, as the gateway saw it: for send limits, sessions and audit. */
  clientIp?: string;
  userAgent?: string;
}

export const ANONYMOUS: Caller = Object.freeze({ roles: [] as string[] }) as Caller;

export class AssertionSigner {
  private readonly cache = new Map<string, { token: string; expiresAt: number }>();

  private constructor(
    private readonly key: KeyObject,
    private readonly kid: string | undefined,
  ) {}

  static async fromJwk(privateJwkJson: string): Promise<AssertionSigner> {
    const jwk = JSON.parse(privateJwkJson) as JWK;
    return new AssertionSigner(createPrivateKey({ key: jwk, format: 'jwk' }), jwk.kid);
  }

  /** Signs "the gateway vouches that `caller` is calling `audience`", reusing a fresh one when it can. */
  async sign(caller: Caller, audience: string, nowMs: number = Date.now()): Promise<string> {
    const cacheKey = [
      audience,
      caller.accountId,
      caller.tenantId,
      caller.sessionId,
      caller.roles.join(' '),
      caller.clientIp,
      caller.userAgent,
      caller.restricted ? 'restricted' : '',
      caller.clientId,
    ].join('|');
    const cached = this.cache.get(cacheKey);
    if (cached && cached.expiresAt - nowMs > REUSE_MARGIN_SECONDS * 1000) return cached.token;
    const issuedAt = Math.floor(nowMs / 1000);
    const token = signCompactJwt(
      { alg: ALGORITHM, typ: 'messngr-assertion+jwt', ...(this.kid ? { kid: this.kid } : {}) },
      {
        ...(caller.tenantId ? { tid: caller.tenantId } : {}),
        ...(caller.sessionId ? { sid: caller.sessionId } : {}),
        ...(caller.clientIp ? { cip: caller.clientIp } : {}),
        ...(caller.userAgent ? { cua: caller.userAgent } : {}),
        ...(caller.restricted ? { rst: true } : {}),
        ...(caller.clientId ? { azp: caller.clientId } : {}),
        roles: caller.roles,
        iss: ISSUER,
        aud: audience,
        iat: issuedAt,
        exp: issuedAt + LIFETIME_SECONDS,
        ...(caller.accountId ? { sub: caller.accountId } : {}),
      },
      this.key,
    );
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(cacheKey, { token, expiresAt: (issuedAt + LIFETIME_SECONDS) * 1000 });
    return token;
  }
}

/** Verified assertions kept for reuse, at most. */
const MAX_VERIFIED_ASSERTIONS = 10_000;

export class AssertionVerifier {
  /**
   * The gateway reuses an assertion per caller for up to half its life, so most requests
   * bring one already verified: its signature is checked once, its expiry on every use.
   */
  private readonly verified = new Map<string, { caller: Caller; expiresAt: number }>();

  private constructor(
    private readonly key: CryptoKey,
    private readonly audience: string,
  ) {}

  static async fromJwk(publicJwkJson: string, audience: string): Promise<AssertionVerifier> {
    const jwk = JSON.parse(publicJwkJson) as JWK;
    return new AssertionVerifier((await importJWK(jwk, ALGORITHM)) as CryptoKey, audience);
  }

  /** Throws on anything but a valid, unexpired assertion for this audience. */
  async verify(token: string, currentDate?: Date): Promise<Caller> {
    const now = currentDate?.getTime() ?? Date.now();
    const known = this.verified.get(token);
    if (known && known.expiresAt > now) return { ...known.caller, roles: [...known.caller.roles] };
    const { payload } = await jwtVerify(token, this.key, {
      algorithms: [ALGORITHM],
      issuer: ISSUER,
      audience: this.audience,
      typ: 'messngr-assertion+jwt',
      requiredClaims: ['exp', 'iat'],
      maxTokenAge: LIFETIME_SECONDS + 5,
      clockTolerance: 5,
      ...(currentDate ? { currentDate } : {}),
    });
    const roles = Array.isArray(payload['roles']) ? payload['roles'].filter((r): r is string => typeof r === 'string') : [];
    const caller: Caller = { roles };
    if (payload.sub) caller.accountId = payload.sub;
    if (typeof payload['tid'] === 'string') caller.tenantId = asTenantId(payload['tid']);
    if (typeof payload['sid'] === 'string') caller.sessionId = payload['sid'];
    if (typeof payload['cip'] === 'string') caller.clientIp = payload['cip'];
    if (typeof payload['cua'] === 'string') caller.userAgent = payload['cua'];
    if (payload['rst'] === true) caller.restricted = true;
    if (typeof payload['azp'] === 'string') caller.clientId = payload['azp'];
    if (typeof payload.exp === 'number') {
      if (this.verified.size >= MAX_VERIFIED_ASSERTIONS) this.verified.clear();
      this.verified.set(token, { caller: { ...caller, roles: [...roles] }, expiresAt: payload.exp * 1000 });
    }
    return caller;
  }
}
