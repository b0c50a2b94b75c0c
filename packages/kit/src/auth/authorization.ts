import type { Caller } from './assertion';
import { ForbiddenError, UnauthenticatedError } from './errors';
import { PLATFORM_TENANT, Role } from './platform';

export interface AuthenticatedCaller extends Caller {
  accountId: string;
  tenantId: string;
}

export function requireAuthenticated(caller: Caller): AuthenticatedCaller {
  if (!caller.accountId || !caller.tenantId) throw new UnauthenticatedError();
  return caller as AuthenticatedCaller;
}

export function isPlatformAdmin(caller: Caller): boolean {
  return caller.tenantId === PLATFORM_TENANT.id && caller.roles.includes(Role.PLATFORM_ADMIN);
}

export function canAdministerTenant(caller: Caller, tenantId: string): boolean {
  return isPlatformAdmin(caller) || (caller.tenantId === tenantId && caller.roles.includes(Role.TENANT_ADMIN));
}

export function requirePlatformAdmin(caller: Caller): AuthenticatedCaller {
  const authenticated = requireAuthenticated(caller);
  if (!isPlatformAdmin(authenticated)) throw new ForbiddenError('Only platform administrators may do this.');
  return authenticated;
}

export function requireTenantAdmin(caller: Caller, tenantId: string): AuthenticatedCaller {
  const authenticated = requireAuthenticated(caller);
  if (!canAdministerTenant(authenticated, tenantId)) throw new ForbiddenError('Only administrators of this tenant may do this.');
  return authenticated;
}

/** May the caller read data about `accountId` in `tenantId`: the account itself or an administrator of its tenant. */
export function canReadAccount(caller: Caller, tenantId: string, accountId: string): boolean {
  return (caller.tenantId === tenantId && caller.accountId === accountId) || canAdministerTenant(caller, tenantId);
}
