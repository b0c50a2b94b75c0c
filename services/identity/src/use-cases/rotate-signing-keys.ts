import { requireTenantAdmin, type Caller } from '@messngr/kit/auth';
import type { TenantId } from '@messngr/kit/core';
import { NotFoundError } from '@messngr/kit/errors';
import type { IdentityDependencies } from '../dependencies';
import type { SigningKeyringDocument } from '../persistence/signing-keyring.model';

/** Rotates a tenant's signing keys now (its administrators): the new key is published at once and signs after the overlap. */
export async function rotateSigningKeys(
  deps: Pick<IdentityDependencies, 'keys' | 'tenants'>,
  caller: Caller,
  command: { tenantId: TenantId },
): Promise<SigningKeyringDocument> {
  requireTenantAdmin(caller, command.tenantId);
  if (!(await deps.tenants.findById(command.tenantId))) throw new NotFoundError('Tenant');
  return deps.keys.rotate(command.tenantId);
}
