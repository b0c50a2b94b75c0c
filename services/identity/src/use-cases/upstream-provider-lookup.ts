import type { TenantId } from '@messngr/kit/core';
import type { UsableUpstream } from '../persistence/upstream-provider.model';
import type { UpstreamProviderRepository } from '../persistence/upstream-provider.repository';

/** The tenant's upstream provider by id, or null: another tenant's, removed, NATIVE, or not yet known with its connection. */
export async function upstreamProviderOf(
  providers: UpstreamProviderRepository,
  tenantId: TenantId,
  providerId: string,
): Promise<UsableUpstream | null> {
  const provider = await providers.findById(providerId);
  if (!provider || provider.tenantId !== tenantId || provider.removed || !provider.connection) return null;
  if (provider.kind !== 'OIDC' && provider.kind !== 'OAUTH2') return null;
  return { ...provider, kind: provider.kind, connection: provider.connection };
}
