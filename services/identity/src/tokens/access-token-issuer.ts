import { signCompactJwt } from '@messngr/kit/auth';
import { newId, tenantIssuer, type Clock, type TenantId } from '@messngr/kit/core';
import { NotFoundError } from '@messngr/kit/errors';
import type { TenantReplicaRepository } from '../persistence/tenant-replica.repository';
import { ACCESS_TOKEN_ALGORITHM, type SigningKeys } from './signing-keys';

export interface AccessTokenRequest {
  tenantId: TenantId;
  accountId: string;
  sessionId: string;
  roles: string[];
  clientId: string;
  /** A recovery session's tokens say so (`restricted: "RECOVERY"`): they carry no roles and open almost nothing. */
  restricted?: boolean;
}

/** A client acting for itself (client credentials): its own subject, with the scopes it was given. */
export interface ClientAccessTokenRequest {
  tenantId: TenantId;
  clientId: string;
  scope: string;
}

export interface IssuedAccessToken {
  token: string;
  expiresAt: Date;
}

/** Signs RFC 9068 access tokens (`typ: at+jwt`) with the tenant's active key. */
export class AccessTokenIssuer {
  constructor(
    private readonly deps: {
      keys: SigningKeys;
      tenants: TenantReplicaRepository;
      clock: Clock;
      publicUrl: string;
      audience: string;
      ttlSeconds: number;
    },
  ) {}

  async issue(request: AccessTokenRequest): Promise<IssuedAccessToken> {
    return this.sign(request.tenantId, request.accountId, {
      tid: request.tenantId,
      sid: request.sessionId,
      roles: request.restricted ? [] : request.roles,
      client_id: request.clientId,
      ...(request.restricted ? { restricted: 'RECOVERY' } : {}),
    });
  }

  /** RFC 9068 §2.2 for the client credentials grant: `sub` and `client_id` the client, no session, no roles. */
  async issueForClient(request: ClientAccessTokenRequest): Promise<IssuedAccessToken> {
    return this.sign(request.tenantId, request.clientId, {
      tid: request.tenantId,
      client_id: request.clientId,
      ...(request.scope ? { scope: request.scope } : {}),
    });
  }

  private async sign(tenantId: TenantId, subject: string, claims: Record<string, unknown>): Promise<IssuedAccessToken> {
    const tenant = await this.deps.tenants.findCached(tenantId);
    if (!tenant) throw new NotFoundError('Tenant');
    const signingKey = await this.deps.keys.activeKey(tenantId);
    const now = Math.floor(this.deps.clock.now().getTime() / 1000);
    const expiresAt = now + this.deps.ttlSeconds;
    const token = signCompactJwt(
      { alg: ACCESS_TOKEN_ALGORITHM, typ: 'at+jwt', kid: signingKey.kid },
      {
        ...claims,
        iss: tenantIssuer(this.deps.publicUrl, tenant.slug),
        aud: this.deps.audience,
        sub: subject,
        iat: now,
        nbf: now,
        exp: expiresAt,
        jti: newId('at'),
      },
      signingKey.key,
    );
    return { token, expiresAt: new Date(expiresAt * 1000) };
  }
}
