import { providerSecretTransportContext, type ProviderConnectionData } from '@messngr/contracts';
import type { SecretBox } from '@messngr/kit/core';
import { clientSecretContext, type StoredIdentityProvider } from '../domain/identity-provider';

/** The two key sets a provider event's client secret passes between. */
export interface ProviderSecretBoxes {
  /** Opens client secrets as stored (`SECRETS_ENCRYPTION_KEYS`, the tenant subgraph's alone). */
  atRest: SecretBox;
  /** Seals them for the identity subgraph (`PROVIDER_SECRETS_KEYS`, which it holds too). */
  transport: SecretBox;
}

/**
 * `data.connection` of a provider event: how the identity subgraph reaches the provider as
 * its relying party. Null for NATIVE providers. The client secret is opened from its at-rest
 * seal and sealed again under the transport keys, bound to the provider
 * (`providerSecretTransportContext`): the plaintext exists only inside this function, and every
 * other consumer of the topic sees ciphertext.
 */
export function providerEventConnection(
  provider: StoredIdentityProvider,
  boxes: ProviderSecretBoxes,
): ProviderConnectionData | null {
  if (provider.kind === 'NATIVE') return null;
  return {
    issuer: provider.issuer,
    useDiscovery: provider.useDiscovery,
    authorizationEndpoint: provider.authorizationEndpoint,
    tokenEndpoint: provider.tokenEndpoint,
    userinfoEndpoint: provider.userinfoEndpoint,
    jwksUri: provider.jwksUri,
    clientId: provider.clientId,
    sealedClientSecret: provider.sealedClientSecret && resealed(provider, provider.sealedClientSecret, boxes),
    scopes: [...provider.scopes],
    claimMapping: { ...provider.claimMapping },
    pkceRequired: provider.pkceRequired,
    requiredHostedDomain: provider.requiredHostedDomain ?? null,
  };
}

function resealed(
  provider: StoredIdentityProvider,
  sealed: NonNullable<StoredIdentityProvider['sealedClientSecret']>,
  boxes: ProviderSecretBoxes,
) {
  let secret: string;
  try {
    secret = boxes.atRest.open(sealed, clientSecretContext(provider.id));
  } catch (error) {
    // The box's own messages name a key id at most, never the plaintext.
    throw new Error(`the client secret of identity provider ${provider.id} does not open with SECRETS_ENCRYPTION_KEYS`, {
      cause: error,
    });
  }
  return boxes.transport.seal(secret, providerSecretTransportContext(provider.id));
}
