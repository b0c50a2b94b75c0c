import type { Caller } from './assertion';
import { DomainError, ForbiddenError, UnauthenticatedError } from '../errors/errors';
import { PLATFORM_TENANT, Role } from '../core/platform';
import type { TenantId } from '../core/tenant-id';

export interface AuthenticatedCaller extends Caller {
  accountId: string;
  tenantId: TenantId;
}

declare const platformAdminBrand: unique symbol;

/**
 * A caller proven to be a platform administrator. Only `requirePlatformAdmin` makes one, and
 * only a value of this type opens the one door that reads across tenants.
 */
export type PlatformAdmin = AuthenticatedCaller & { readonly [platformAdminBrand]: true };

export function requireAuthenticated(caller: Caller): AuthenticatedCaller {
  const signedIn = requireSignedIn(caller);
  if (signedIn.restricted) {
    throw new DomainError('RESTRICTED_SESSION', 'A recovery session may only link an identity and make new recovery codes.', 403);
  }
  return signedIn;
}

/** Any signed-in caller, a recovery session included: only for what a recovery session may do. */
export function requireSignedIn(caller: Caller): AuthenticatedCaller {
  const { accountId, tenantId } = caller;
  if (!accountId || !tenantId) throw new UnauthenticatedError();
  return { ...caller, accountId, tenantId };
}

export function isPlatformAdmin(caller: Caller): boolean {
  return caller.tenantId === PLATFORM_TENANT.id && caller.roles.includes(Role.PLATFORM_ADMIN);
}

/** The caller as a platform administrator, or undefined: for reads that widen for admins and stay scoped for others. */
export function asPlatformAdmin(caller: Caller): PlatformAdmin | undefined {
  if (!isPlatformAdmin(caller) || !caller.accountId || !caller.tenantId) return undefined;
  // The brand is only in the types: this check is what it certifies.
  return requireAuthenticated(caller) as PlatformAdmin;
}

export function canAdministerTenant(caller: Caller, tenantId: TenantId): boolean {
  if (caller.restricted) return false;
  return isPlatformAdmin(caller) || (caller.tenantId === tenantId && caller.roles.includes(Role.TENANT_ADMIN));
}

export function requirePlatformAdmin(caller: Caller): PlatformAdmin {
  requireAuthenticated(caller);
  const admin = asPlatformAdmin(caller);
  if (!admin) throw new ForbiddenError('Only platform administrators may do this.');
  return admin;
}

export function requireTenantAdmin(caller: Caller, tenantId: TenantId): AuthenticatedCaller {
  const authenticated = requireAuthenticated(caller);
  if (!canAdministerTenant(authenticated, tenantId)) throw new ForbiddenError('Only administrators of this tenant may do this.');
  return authenticated;
}

/** Platform support staff: they look into any tenant's accounts (and answer for what they do there). */
export function isPlatformSupport(caller: Caller): boolean {
  if (caller.restricted || caller.tenantId !== PLATFORM_TENANT.id) return false;
  return [Role.SUPPORT_AGENT, Role.PLATFORM_ADMIN].some((role) => caller.roles.includes(role));
}

/** A support agent of `tenantId` itself (not of the platform). */
export function isTenantSupportAgent(caller: Caller, tenantId: TenantId): boolean {
  return !caller.restricted && caller.tenantId === tenantId && caller.roles.includes(Role.SUPPORT_AGENT);
}

/** Who may look after the accounts of `tenantId`: its administrators and support agents, and platform support. */
export function canSupportTenant(caller: Caller, tenantId: TenantId): boolean {
  return isPlatformSupport(caller) || isTenantSupportAgent(caller, tenantId) || canAdministerTenant(caller, tenantId);
}

/** May the caller read data about `accountId` in `tenantId`: the account itself, or its tenant's administrators and support. */
export function canReadAccount(caller: Caller, tenantId: TenantId, accountId: string): boolean {
  if (caller.restricted) return caller.tenantId === tenantId && caller.accountId === accountId;
  return (caller.tenantId === tenantId && caller.accountId === accountId) || canSupportTenant(caller, tenantId);
}
