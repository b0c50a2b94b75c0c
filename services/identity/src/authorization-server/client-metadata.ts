import type { Client, ClientMetadata } from 'oidc-provider';
import type { SecretBox } from '@messngr/kit/core';
import type { OAuthGrantType } from '../domain/oauth-client';
import type { OAuthClientDocument } from '../persistence/oauth-client.model';
import { secretBinding } from '../use-cases/oauth-clients';

const GRANT_TYPE_NAMES: Record<OAuthGrantType, string> = {
  AUTHORIZATION_CODE: 'authorization_code',
  REFRESH_TOKEN: 'refresh_token',
  CLIENT_CREDENTIALS: 'client_credentials',
  DEVICE_CODE: 'urn:ietf:params:oauth:grant-type:device_code',
};

/** Our own client metadata oidc-provider carries (configured as `extraClientMetadata`). */
export const FIRST_PARTY_METADATA = 'first_party';

/** Whether the client is the tenant's own (no consent page), as the provider's client carries it. */
export function isFirstParty(client: Client | undefined): boolean {
  return client?.metadata()[FIRST_PARTY_METADATA] === true;
}

/**
 * A registered client as oidc-provider describes clients: a public or device client
 * authenticates with nothing (PKCE proves a public one), a confidential one with its secret,
 * opened here in memory for the comparison and never stored open. Removed clients are unknown.
 */
export function clientMetadataOf(client: OAuthClientDocument, secretBox: SecretBox): ClientMetadata | undefined {
  if (client.status !== 'ACTIVE') return undefined;
  const confidential = client.kind === 'CONFIDENTIAL' && client.secret !== null;
  if (client.kind === 'CONFIDENTIAL' && !confidential) return undefined;
  return {
    client_id: client._id,
    client_name: client.name,
    application_type: client.applicationType === 'NATIVE' ? 'native' : 'web',
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    grant_types: client.grantTypes.map((grant) => GRANT_TYPE_NAMES[grant]),
    response_types: client.grantTypes.includes('AUTHORIZATION_CODE') ? ['code'] : [],
    scope: client.scopes.join(' '),
    id_token_signed_response_alg: 'ES256',
    [FIRST_PARTY_METADATA]: client.firstParty === true,
    ...(confidential && client.secret
      ? {
          token_endpoint_auth_method: 'client_secret_basic',
          client_secret: secretBox.open(client.secret, secretBinding(client.tenantId, client._id)),
        }
      : { token_endpoint_auth_method: 'none' }),
  };
}
