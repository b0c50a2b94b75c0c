import { canAdministerTenant, type Caller } from '@messngr/kit/auth';
import type { TenantId } from '@messngr/kit/core';

export type RegistrationAccess = 'allowed' | 'not-found' | 'forbidden';

/**
 * Who may register a device for an account: the account itself or an administrator of its
 * tenant (support does not register devices: it looks after them and revokes them). An
 * account of another tenant answers like an absent one, so a caller learns nothing about
 * accounts outside its tenant; within it, refusal is FORBIDDEN.
 */
export function registrationAccess(caller: Caller, account: { id: string; tenantId: TenantId } | null): RegistrationAccess {
  if (!account || caller.restricted) return 'not-found';
  const own = caller.tenantId === account.tenantId && caller.accountId === account.id;
  if (own || canAdministerTenant(caller, account.tenantId)) return 'allowed';
  return account.tenantId === caller.tenantId ? 'forbidden' : 'not-found';
}
