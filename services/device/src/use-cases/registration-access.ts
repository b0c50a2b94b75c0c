import { canReadAccount, type Caller } from '@messngr/kit/auth';
import type { TenantId } from '@messngr/kit/core';

export type RegistrationAccess = 'allowed' | 'not-found' | 'forbidden';

/**
 * Who may register a device for an account: the account itself or an administrator of
 * its tenant. An account of another tenant answers like an absent one, so a caller learns
 * nothing about accounts outside its tenant; within it, refusal is FORBIDDEN.
 */
export function registrationAccess(caller: Caller, account: { id: string; tenantId: TenantId } | null): RegistrationAccess {
  if (!account) return 'not-found';
  if (canReadAccount(caller, account.tenantId, account.id)) return 'allowed';
  return account.tenantId === caller.tenantId ? 'forbidden' : 'not-found';
}
