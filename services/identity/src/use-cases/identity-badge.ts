import type { StoredIdentity } from '../domain/identity';
import type { UpstreamProviderRepository } from '../persistence/upstream-provider.repository';

/** The badge a screen shows for an identity: its provider's (github, google…), or email / phone. */
export async function badgeKeyOf(providers: UpstreamProviderRepository, identity: StoredIdentity): Promise<string> {
  if (identity.kind === 'EMAIL') return 'email';
  if (identity.kind === 'PHONE') return 'phone';
  const provider = identity.providerId ? await providers.findById(identity.providerId) : null;
  return provider?.badgeKey ?? 'generic';
}
