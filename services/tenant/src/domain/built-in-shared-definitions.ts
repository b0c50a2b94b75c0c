import type { StoredIdentityProvider } from './identity-provider';
import { checkedProviderSettings, EMPTY_SETTINGS, type ProviderSettingsInput } from './provider-settings';

/** A shared definition the platform ships: a stable id and its settings, without credentials. */
export interface BuiltInSharedDefinition {
  /** `idp_shared_<name>`: the same in every installation, so seeding claims it once by `_id`. */
  id: string;
  settings: ProviderSettingsInput & Required<Pick<ProviderSettingsInput, 'kind' | 'displayName'>>;
}

/**
 * The shared definitions every installation starts with. Tenants enable one with their own
 * client id and secret (`registerIdentityProvider` with `sharedDefinitionId`). Seeded once;
 * what platform administrators change or remove afterwards stays as they left it.
 */
export const BUILT_IN_SHARED_DEFINITIONS: readonly BuiltInSharedDefinition[] = [
  {
    // OAuth 2.0 without ID tokens: the user endpoint's numeric `id` is the subject, never `login`.
    id: 'idp_shared_github',
    settings: {
      kind: 'OAUTH2',
      displayName: 'GitHub',
      badgeKey: 'github',
      personal: true,
      authorizationEndpoint: 'https://github.com/login/oauth/authorize',
      tokenEndpoint: 'https://github.com/login/oauth/access_token',
      userinfoEndpoint: 'https://api.github.com/user',
      scopes: ['read:user', 'user:email'],
      claimMapping: { subject: 'id', username: 'login', name: 'name', email: 'email' },
    },
  },
  {
    // OIDC by discovery. No username claim: display falls back to the email address. A
    // tenant restricts its copy to its own Workspace with `requiredHostedDomain`.
    id: 'idp_shared_google_workspace',
    settings: {
      kind: 'OIDC',
      displayName: 'Google Workspace',
      badgeKey: 'google',
      personal: false,
      issuer: 'https://accounts.google.com',
      useDiscovery: true,
      scopes: ['openid', 'email', 'profile'],
      claimMapping: { subject: 'sub', email: 'email', emailVerified: 'email_verified', name: 'name', username: null },
    },
  },
  {
    // OAuth 2.0 through the Graph API; the user endpoint names the fields it returns.
    id: 'idp_shared_facebook',
    settings: {
      kind: 'OAUTH2',
      displayName: 'Facebook',
      badgeKey: 'facebook',
      personal: true,
      authorizationEndpoint: 'https://www.facebook.com/v19.0/dialog/oauth',
      tokenEndpoint: 'https://graph.facebook.com/v19.0/oauth/access_token',
      userinfoEndpoint: 'https://graph.facebook.com/me?fields=id,name,email',
      scopes: ['public_profile', 'email'],
      claimMapping: { subject: 'id', name: 'name', email: 'email', username: null },
    },
  },
];

/** A built-in definition as stored, checked by the rules for production (https only) like any other definition. */
export function builtInSharedProvider(definition: BuiltInSharedDefinition, now: Date): StoredIdentityProvider {
  const settings = checkedProviderSettings(EMPTY_SETTINGS, definition.settings, {
    allowInsecureLoopback: false,
    credentialsRequired: false,
  });
  return {
    ...settings,
    id: definition.id,
    enabled: true,
    sharedDefinitionId: null,
    sealedClientSecret: null,
    createdAt: now,
    updatedAt: now,
  };
}
