import { PLATFORM_TENANT, Role } from '@messngr/kit/core';
import type { AccountDocument } from '../persistence/account.model';
import { insertAccount, type CreateAccountDeps } from './create-account';

export const DEVELOPMENT_ADMIN_HANDLE = 'admin';

/** The development door until sign-in exists: one platform administrator, created once. */
export async function ensurePlatformAdmin(deps: CreateAccountDeps): Promise<AccountDocument> {
  const existing = await deps.accounts.findByHandle(PLATFORM_TENANT.id, DEVELOPMENT_ADMIN_HANDLE);
  if (existing) return existing;
  try {
    return await insertAccount(
      deps,
      {
        tenantId: PLATFORM_TENANT.id,
        displayName: 'Platform Administrator',
        handle: DEVELOPMENT_ADMIN_HANDLE,
        roles: [Role.PLATFORM_ADMIN],
      },
      { type: 'operator' },
    );
  } catch (error) {
    const raced = await deps.accounts.findByHandle(PLATFORM_TENANT.id, DEVELOPMENT_ADMIN_HANDLE);
    if (raced) return raced;
    throw error;
  }
}
