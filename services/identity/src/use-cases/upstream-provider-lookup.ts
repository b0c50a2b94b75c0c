import type { TenantId } from '@messngr/kit/core';
import type { UpstreamProviderDocument, UsableUpstream } from '../persistence/upstream-provider.model';
import type { UpstreamProviderRepository } from '../persistence/upstream-provider.repository';

/** The tenant's upstream provider by id, or null: another tenant's, removed, NATIVE, or not yet known with its connection. */
export async function upstreamProviderOf(
  providers: UpstreamProviderRepository,
  tenantId: TenantId,
  providerId: string,
): Promise<UsableUpstream | null> {
  const provider = await providers.findById(providerId);
  if (!provider || provider.tenantId !== tenantId || !isUsableUpstream(provider)) return null;
  return provider;
}

/** Not removed, upstream (OIDC or OAuth 2.0), with its connection known: identity can be its relying party. */
export function isUsableUpstream(provider: UpstreamProviderDocument): provider is UsableUpstream {
  return !provider.removed && provider.connection !== null && (provider.kind === 'OIDC' || provider.kind === 'OAUTH2');
}
