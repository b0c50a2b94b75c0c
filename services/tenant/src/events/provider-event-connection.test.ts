import { randomBytes } from 'node:crypto';
import { providerConnectionSchema, providerSecretTransportContext } from '@messngr/contracts';
import { parseEncryptionKeys, SecretBox } from '@messngr/kit/core';
import { clientSecretContext, nativeProvider, type StoredIdentityProvider } from '../domain/identity-provider';
import { providerEventConnection } from './provider-event-connection';

const keys = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
const SECRETS_ENCRYPTION_KEYS = keys('rest1');
const PROVIDER_SECRETS_KEYS = keys('transport1');

/** The tenant subgraph's two boxes, as its dependencies make them. */
const atRest = new SecretBox(parseEncryptionKeys(SECRETS_ENCRYPTION_KEYS));
const boxes = { atRest, transport: new SecretBox(parseEncryptionKeys(PROVIDER_SECRETS_KEYS)) };
/** What the identity subgraph holds: only PROVIDER_SECRETS_KEYS. */
const identitySide = new SecretBox(parseEncryptionKeys(PROVIDER_SECRETS_KEYS));

const now = new Date('2025-01-01T00:00:00Z');
const SECRET = `client-secret-${randomBytes(8).toString('hex')}`;

function oidcProvider(id: string, secret: string | null = SECRET): StoredIdentityProvider {
  return {
    ...nativeProvider(id, now),
    kind: 'OIDC',
    displayName: 'Corp SSO',
    badgeKey: 'generic',
    issuer: 'https://login.example.com',
    useDiscovery: true,
    clientId: 'messngr',
    sealedClientSecret: secret === null ? null : atRest.seal(secret, clientSecretContext(id)),
    scopes: ['openid', 'email'],
    claimMapping: { subject: 'sub', email: 'email', emailVerified: 'email_verified', name: 'name', username: null },
  };
}

describe('the connection a provider event carries', () => {
  it('is null for NATIVE providers', () => {
    expect(providerEventConnection(nativeProvider('idp_native', now), boxes)).toBeNull();
  });

  it('carries the settings and the client secret sealed for the identity subgraph, which opens it', () => {
    const provider = oidcProvider('idp_a');
    const connection = providerEventConnection(provider, boxes)!;
    expect(providerConnectionSchema.parse(connection)).toEqual(connection);
    expect(connection).toMatchObject({
      issuer: 'https://login.example.com',
      useDiscovery: true,
      authorizationEndpoint: null,
      clientId: 'messngr',
      scopes: ['openid', 'email'],
      claimMapping: provider.claimMapping,
      pkceRequired: true,
    });
    const sealed = connection.sealedClientSecret!;
    expect(sealed.keyId).toBe('transport1');
    expect(identitySide.open(sealed, providerSecretTransportContext('idp_a'))).toBe(SECRET);
    expect(JSON.stringify(connection)).not.toContain(SECRET);
  });

  it('does not open under another provider’s context, nor with the at-rest keys', () => {
    const sealed = providerEventConnection(oidcProvider('idp_a'), boxes)!.sealedClientSecret!;
    expect(() => identitySide.open(sealed, providerSecretTransportContext('idp_b'))).toThrow();
    expect(() => identitySide.open(sealed, 'idp_a')).toThrow();
    expect(() => atRest.open(sealed, providerSecretTransportContext('idp_a'))).toThrow();
  });

  it('carries the required hosted domain, and null for providers without one or stored before it existed', () => {
    const restricted = { ...oidcProvider('idp_hd'), requiredHostedDomain: 'example.com' };
    const connection = providerEventConnection(restricted, boxes)!;
    expect(connection.requiredHostedDomain).toBe('example.com');
    expect(providerConnectionSchema.parse(connection)).toEqual(connection);
    expect(providerEventConnection(oidcProvider('idp_none'), boxes)?.requiredHostedDomain).toBeNull();
    const { requiredHostedDomain: _absent, ...older } = oidcProvider('idp_older');
    expect(providerEventConnection(older, boxes)?.requiredHostedDomain).toBeNull();
  });

  it('has no sealed secret when the provider has none (shared definitions)', () => {
    expect(providerEventConnection(oidcProvider('idp_shared', null), boxes)?.sealedClientSecret).toBeNull();
  });

  it('fails without the plaintext when the at-rest seal does not open', () => {
    const moved = { ...oidcProvider('idp_b'), sealedClientSecret: oidcProvider('idp_a').sealedClientSecret };
    expect(() => providerEventConnection(moved, boxes)).toThrow(/idp_b does not open with SECRETS_ENCRYPTION_KEYS/);
  });
});
