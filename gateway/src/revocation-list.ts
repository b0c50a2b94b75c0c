import type { Caller } from '@messngr/kit/auth';

/**
 * What the gateway refuses although the token verifies: sessions ended before their access
 * tokens expired (until the last of those has), disabled accounts, suspended tenants. Kept in
 * memory from the events, so checking it touches no database.
 */
export class RevocationList {
  readonly #sessions = new Map<string, number>();
  readonly #accounts = new Set<string>();
  readonly #tenants = new Set<string>();
  /** Removed OAuth clients (`tenant:client`): their ids are never reused, so they stay until the gateway restarts. */
  readonly #clients = new Set<string>();

  revokeSession(sessionId: string, tokensExpireBy: Date): void {
    const until = Math.max(tokensExpireBy.getTime(), this.#sessions.get(sessionId) ?? 0);
    this.#sessions.set(sessionId, until);
  }

  setAccountDisabled(tenantId: string, accountId: string, disabled: boolean): void {
    const key = `${tenantId}:${accountId}`;
    if (disabled) this.#accounts.add(key);
    else this.#accounts.delete(key);
  }

  setTenantSuspended(tenantId: string, suspended: boolean): void {
    if (suspended) this.#tenants.add(tenantId);
    else this.#tenants.delete(tenantId);
  }

  removeClient(tenantId: string, clientId: string): void {
    this.#clients.add(`${tenantId}:${clientId}`);
  }

  /** Why the caller's token is refused, or undefined when it is not. */
  refusal(
    caller: Pick<Caller, 'tenantId' | 'accountId' | 'sessionId' | 'clientId'>,
    now: number,
  ): 'session revoked' | 'account disabled' | 'tenant suspended' | 'client removed' | undefined {
    if (caller.tenantId && this.#tenants.has(caller.tenantId)) return 'tenant suspended';
    if (caller.tenantId && caller.clientId && this.#clients.has(`${caller.tenantId}:${caller.clientId}`)) return 'client removed';
    if (caller.tenantId && caller.accountId && this.#accounts.has(`${caller.tenantId}:${caller.accountId}`))
      return 'account disabled';
    const until = caller.sessionId ? this.#sessions.get(caller.sessionId) : undefined;
    if (until !== undefined && until > now) return 'session revoked';
    return undefined;
  }

  /** Forgets sessions whose tokens have all expired: the list stays as small as what can still matter. */
  prune(now: number): void {
    for (const [sessionId, until] of this.#sessions) if (until <= now) this.#sessions.delete(sessionId);
  }

  get size(): { sessions: number; accounts: number; tenants: number; clients: number } {
    return {
      sessions: this.#sessions.size,
      accounts: this.#accounts.size,
      tenants: this.#tenants.size,
      clients: this.#clients.size,
    };
  }
}
