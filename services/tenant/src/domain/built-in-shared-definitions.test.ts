import { providerConnectionSchema } from '@messngr/contracts';
import { BUILT_IN_SHARED_DEFINITIONS, builtInSharedProvider } from './built-in-shared-definitions';
import { checkedProviderSettings } from './provider-settings';

const now = new Date('2026-01-01T00:00:00Z');
const byId = (id: string) => {
  const definition = BUILT_IN_SHARED_DEFINITIONS.find((candidate) => candidate.id === id);
  if (!definition) throw new Error(`no built-in definition ${id}`);
  return builtInSharedProvider(definition, now);
};

describe('the built-in shared definitions', () => {
  it('have stable, distinct ids', () => {
    expect(BUILT_IN_SHARED_DEFINITIONS.map((definition) => definition.id)).toEqual([
      'idp_shared_github',
      'idp_shared_google_workspace',
      'idp_shared_facebook',
    ]);
  });

  it('pass the production rules for shared definitions: https endpoints, no credentials, no hosted domain', () => {
    for (const definition of BUILT_IN_SHARED_DEFINITIONS) {
      const provider = builtInSharedProvider(definition, now);
      expect(provider).toMatchObject({
        id: definition.id,
        enabled: true,
        sharedDefinitionId: null,
        clientId: null,
        sealedClientSecret: null,
        requiredHostedDomain: null,
        pkceRequired: true,
      });
      for (const url of [provider.issuer, provider.authorizationEndpoint, provider.tokenEndpoint, provider.userinfoEndpoint]) {
        if (url !== null) expect(url).toMatch(/^https:\/\//);
      }
    }
  });

  it('describe GitHub as a personal OAuth 2.0 provider whose subject is the numeric id', () => {
    expect(byId('idp_shared_github')).toMatchObject({
      kind: 'OAUTH2',
      displayName: 'GitHub',
      badgeKey: 'github',
      personal: true,
      authorizationEndpoint: 'https://github.com/login/oauth/authorize',
      tokenEndpoint: 'https://github.com/login/oauth/access_token',
      userinfoEndpoint: 'https://api.github.com/user',
      scopes: ['read:user', 'user:email'],
      claimMapping: { subject: 'id', username: 'login', name: 'name', email: 'email', emailVerified: null },
    });
  });

  it('describe Google Workspace as a corporate OIDC provider by discovery, without a username claim', () => {
    expect(byId('idp_shared_google_workspace')).toMatchObject({
      kind: 'OIDC',
      displayName: 'Google Workspace',
      badgeKey: 'google',
      personal: false,
      issuer: 'https://accounts.google.com',
      useDiscovery: true,
      authorizationEndpoint: null,
      scopes: ['openid', 'email', 'profile'],
      claimMapping: { subject: 'sub', email: 'email', emailVerified: 'email_verified', name: 'name', username: null },
    });
  });

  it('describe Facebook as a personal OAuth 2.0 provider through the Graph API', () => {
    expect(byId('idp_shared_facebook')).toMatchObject({
      kind: 'OAUTH2',
      displayName: 'Facebook',
      badgeKey: 'facebook',
      personal: true,
      authorizationEndpoint: 'https://www.facebook.com/v19.0/dialog/oauth',
      tokenEndpoint: 'https://graph.facebook.com/v19.0/oauth/access_token',
      userinfoEndpoint: 'https://graph.facebook.com/me?fields=id,name,email',
      scopes: ['public_profile', 'email'],
      claimMapping: { subject: 'id', name: 'name', email: 'email', username: null, emailVerified: null },
    });
  });

  it('become valid tenant providers once a tenant adds its client id (and, for Google, its domain)', () => {
    for (const definition of BUILT_IN_SHARED_DEFINITIONS) {
      const base = builtInSharedProvider(definition, now);
      const hd = base.kind === 'OIDC' ? { requiredHostedDomain: 'Example.com' } : {};
      const copy = checkedProviderSettings(
        base,
        { clientId: 'tenant-client', ...hd },
        { allowInsecureLoopback: false, credentialsRequired: true },
      );
      expect(copy).toMatchObject({ clientId: 'tenant-client', claimMapping: base.claimMapping, scopes: base.scopes });
      expect(copy.requiredHostedDomain).toBe(base.kind === 'OIDC' ? 'example.com' : null);
      const { kind: _kind, displayName: _name, badgeKey: _badge, personal: _personal, ...connection } = copy;
      expect(() => providerConnectionSchema.parse({ ...connection, sealedClientSecret: null })).not.toThrow();
    }
  });
});
