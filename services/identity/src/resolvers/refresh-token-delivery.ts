import type { TenantId } from '@messngr/kit/core';
import { BadUserInputError, DomainError } from '@messngr/kit/errors';
import type { RelayedCookies } from '@messngr/kit/subgraph';
import type { RefreshTokenDelivery } from '../generated/resolvers-types';
import { sessionCookieOf } from '../domain/tenant-rules';
import type { SessionDocument } from '../persistence/session.model';
import type { TenantReplicaRepository } from '../persistence/tenant-replica.repository';
import { parseRefreshToken } from '../tokens/refresh-token';
import type { SignedIn } from '../use-cases/begin-session';
import type { Refreshed } from '../use-cases/refresh-session';

/**
 * Refresh tokens travel in the payload for native apps and in the tenant's session cookie
 * for web apps (set by the gateway, httpOnly and SameSite=Strict, so script never sees it).
 * This is only the transport: the rotation rules are the same for both.
 */
export class RefreshTokenCarrier {
  constructor(
    private readonly tenants: TenantReplicaRepository,
    private readonly cookies: RelayedCookies,
  ) {}

  /** The token to present: the one in the input, or the one in the tenant's cookie. */
  async presented(input: {
    refreshToken?: string | null;
    tenantId?: string | null;
  }): Promise<{ token: string; fromCookie: boolean }> {
    if (input.refreshToken) return { token: input.refreshToken, fromCookie: false };
    if (!input.tenantId)
      throw new BadUserInputError('Give the refresh token, or the tenant whose session cookie holds it.', {
        field: 'refreshToken',
      });
    const cookie = await this.cookieOf(input.tenantId as TenantId);
    const token = this.cookies.get(cookie.name);
    // A cookie carrying another tenant's token is not this tenant's session.
    if (!token || parseRefreshToken(token)?.tenantId !== input.tenantId)
      throw new DomainError('INVALID_REFRESH_TOKEN', 'The refresh token is not valid.', 401);
    return { token, fromCookie: true };
  }

  /** Hands the new token over: the payload's value, or null when it went into the cookie. */
  async handOver(token: string, session: SessionDocument, delivery: RefreshTokenDelivery, now: Date): Promise<string | null> {
    if (delivery === 'BODY') return token;
    const cookie = await this.cookieOf(session.tenantId);
    const expiresAt = Math.min(session.refresh.idleExpiresAt.getTime(), session.refresh.absoluteExpiresAt.getTime());
    this.cookies.set({
      name: cookie.name,
      value: token,
      domain: cookie.domain,
      maxAgeSeconds: Math.max(0, Math.floor((expiresAt - now.getTime()) / 1000)),
    });
    return null;
  }

  /** Deletes the tenant's session cookie, if the client sent one. */
  async clear(tenantId: TenantId): Promise<void> {
    const cookie = await this.cookieOf(tenantId);
    if (this.cookies.get(cookie.name) !== undefined)
      this.cookies.set({ name: cookie.name, value: '', domain: cookie.domain, maxAgeSeconds: 0 });
  }

  private async cookieOf(tenantId: TenantId): Promise<{ name: string; domain: string | null }> {
    return sessionCookieOf((await this.tenants.findCached(tenantId)) ?? {});
  }
}

/** Errors after which the cookie's token can never work again. */
export function endsTheCookie(error: unknown): boolean {
  return error instanceof DomainError && (error.code === 'INVALID_REFRESH_TOKEN' || error.code === 'REFRESH_TOKEN_REUSED');
}

/** completeLogin's payload: the refresh token is null when it went into the cookie. */
export type DeliveredSignIn = Omit<SignedIn, 'refreshToken'> & { refreshToken: string | null };

/** refreshSession's payload: the refresh token is null when it went into the cookie. */
export type DeliveredRefresh = Omit<Refreshed, 'refreshToken'> & { refreshToken: string | null };

/** A sign-in's tokens handed over (whichever door): the refresh token in the body or the tenant's cookie. */
export async function handOverSignIn(
  deps: { tenants: TenantReplicaRepository; clock: { now(): Date } },
  cookies: RelayedCookies,
  signedIn: SignedIn,
  delivery: RefreshTokenDelivery | null | undefined,
): Promise<DeliveredSignIn> {
  const carrier = new RefreshTokenCarrier(deps.tenants, cookies);
  const refreshToken = await carrier.handOver(signedIn.refreshToken, signedIn.session, delivery ?? 'BODY', deps.clock.now());
  return { ...signedIn, refreshToken, accountCreated: signedIn.accountCreated ?? false };
}
