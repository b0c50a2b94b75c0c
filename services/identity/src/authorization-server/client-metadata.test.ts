import { asTenantId, SecretBox } from '@messngr/kit/core';
import type { OAuthClientDocument } from '../persistence/oauth-client.model';
import { secretBinding } from '../use-cases/oauth-clients';
import { clientMetadataOf } from './client-metadata';

const box = new SecretBox([{ id: 'k1', key: Buffer.alloc(32, 7) }]);

function client(overrides: Partial<OAuthClientDocument> = {}): OAuthClientDocument {
  return {
    _id: 'cli_1',
    tenantId: 'ten_1',
    name: 'Acme Web',
    kind: 'PUBLIC',
    applicationType: 'WEB',
    redirectUris: ['https://app.example/cb'],
    postLogoutRedirectUris: [],
    grantTypes: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'],
    scopes: ['openid', 'email'],
    status: 'ACTIVE',
    secret: null,
    secretRotatedAt: null,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    removedAt: null,
    version: 1,
    pendingEvents: [],
    ...overrides,
  } as OAuthClientDocument;
}

describe('a registered client as the provider sees it', () => {
  it('a public client authenticates with nothing and may use the code flow', () => {
    expect(clientMetadataOf(client(), box)).toMatchObject({
      client_id: 'cli_1',
      application_type: 'web',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      scope: 'openid email',
    });
  });

  it('a confidential client presents its secret, opened only here', () => {
    const secret = box.seal('mcs_secret', secretBinding(asTenantId('ten_1'), 'cli_1'));
    const metadata = clientMetadataOf(client({ kind: 'CONFIDENTIAL', secret, grantTypes: ['CLIENT_CREDENTIALS'] }), box);
    expect(metadata).toMatchObject({
      token_endpoint_auth_method: 'client_secret_basic',
      client_secret: 'mcs_secret',
      response_types: [],
    });
  });

  it('a secret moved to another client does not open', () => {
    const secret = box.seal('mcs_secret', secretBinding(asTenantId('ten_1'), 'cli_other'));
    expect(() => clientMetadataOf(client({ kind: 'CONFIDENTIAL', secret }), box)).toThrow();
  });

  it('a removed client, or a confidential one without a secret, is unknown', () => {
    expect(clientMetadataOf(client({ status: 'REMOVED' }), box)).toBeUndefined();
    expect(clientMetadataOf(client({ kind: 'CONFIDENTIAL', secret: null }), box)).toBeUndefined();
  });

  it('carries whether the client is the tenant’s own, third-party unless registered so', () => {
    expect(clientMetadataOf(client(), box)?.['first_party']).toBe(false);
    expect(clientMetadataOf(client({ firstParty: true }), box)?.['first_party']).toBe(true);
  });

  it('a native app is a native application', () => {
    expect(clientMetadataOf(client({ applicationType: 'NATIVE' }), box)?.application_type).toBe('native');
  });
});
