import type { SealedSecret, TenantId } from '@messngr/kit/core';

export type IdentityProviderKind = 'NATIVE' | 'OIDC' | 'OAUTH2';

export const BADGE_KEYS = ['github', 'google', 'facebook', 'microsoft', 'apple', 'email', 'phone', 'generic'] as const;

export interface ClaimMapping {
  subject: string;
  email: string | null;
  emailVerified: string | null;
  name: string | null;
  username: string | null;
}

/** One provider as stored: inside its tenant's document, or as a shared definition. */
export interface StoredIdentityProvider {
  id: string;
  kind: IdentityProviderKind;
  displayName: string;
  badgeKey: string;
  enabled: boolean;
  personal: boolean;
  sharedDefinitionId: string | null;
  issuer: string | null;
  useDiscovery: boolean;
  authorizationEndpoint: string | null;
  tokenEndpoint: string | null;
  userinfoEndpoint: string | null;
  jwksUri: string | null;
  clientId: string | null;
  sealedClientSecret: SealedSecret | null;
  scopes: string[];
  claimMapping: ClaimMapping;
  pkceRequired: boolean;
  /**
   * OIDC only: when set, only ID tokens whose `hd` claim equals this domain (lower-case) may
   * sign in, e.g. one Google Workspace. Absent on providers stored before it existed: none.
   */
  requiredHostedDomain?: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What resolvers see: the stored provider with where it belongs. */
export interface IdentityProviderView extends StoredIdentityProvider {
  tenantId: TenantId | null;
  isDefault: boolean;
}

export function nativeProvider(id: string, now: Date): StoredIdentityProvider {
  return {
    id,
    kind: 'NATIVE',
    displayName: 'Email or phone',
    badgeKey: 'email',
    enabled: true,
    personal: false,
    sharedDefinitionId: null,
    issuer: null,
    useDiscovery: false,
    authorizationEndpoint: null,
    tokenEndpoint: null,
    userinfoEndpoint: null,
    jwksUri: null,
    clientId: null,
    sealedClientSecret: null,
    scopes: [],
    claimMapping: { subject: 'sub', email: null, emailVerified: null, name: null, username: null },
    pkceRequired: true,
    requiredHostedDomain: null,
    createdAt: now,
    updatedAt: now,
  };
}

/** The public description carried by events: never endpoints' secrets, never the client secret. */
export function providerEventView(provider: StoredIdentityProvider, tenantId: TenantId | null) {
  return {
    id: provider.id,
    tenantId,
    kind: provider.kind,
    displayName: provider.displayName,
    badgeKey: provider.badgeKey,
    enabled: provider.enabled,
    personal: provider.personal,
  };
}

/** The at-rest seal of a client secret is bound to its provider: a ciphertext copied to another provider does not open. */
export function clientSecretContext(providerId: string): string {
  return `idp-client-secret:${providerId}`;
}
