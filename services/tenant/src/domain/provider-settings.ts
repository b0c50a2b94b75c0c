import { displayTextProblem, normalizeDisplayText } from '@messngr/kit/core';
import { BadUserInputError } from '@messngr/kit/errors';
import { hostedDomainProblem, normalizedHostedDomain } from './hosted-domain';
import { isAllowedProviderUrl } from './provider-url';
import { BADGE_KEYS, type ClaimMapping, type IdentityProviderKind, type StoredIdentityProvider } from './identity-provider';

/** The configurable part of a provider as stored: providers stored before a field existed lack it. */
export type StoredProviderSettings = Pick<
  StoredIdentityProvider,
  | 'kind'
  | 'displayName'
  | 'badgeKey'
  | 'personal'
  | 'issuer'
  | 'useDiscovery'
  | 'authorizationEndpoint'
  | 'tokenEndpoint'
  | 'userinfoEndpoint'
  | 'jwksUri'
  | 'clientId'
  | 'scopes'
  | 'claimMapping'
  | 'pkceRequired'
  | 'requiredHostedDomain'
>;

/** The configurable part of a provider, as checked from input: every field present. */
export type ProviderSettings = Required<StoredProviderSettings>;

export interface ProviderSettingsInput {
  kind?: IdentityProviderKind | null;
  displayName?: string | null;
  badgeKey?: string | null;
  issuer?: string | null;
  useDiscovery?: boolean | null;
  authorizationEndpoint?: string | null;
  tokenEndpoint?: string | null;
  userinfoEndpoint?: string | null;
  jwksUri?: string | null;
  clientId?: string | null;
  scopes?: string[] | null;
  claimMapping?: Partial<Record<keyof ClaimMapping, string | null>> | null;
  pkceRequired?: boolean | null;
  personal?: boolean | null;
  requiredHostedDomain?: string | null;
}

export const EMPTY_SETTINGS: ProviderSettings = {
  kind: 'NATIVE',
  displayName: '',
  badgeKey: 'generic',
  personal: false,
  issuer: null,
  useDiscovery: true,
  authorizationEndpoint: null,
  tokenEndpoint: null,
  userinfoEndpoint: null,
  jwksUri: null,
  clientId: null,
  scopes: [],
  claimMapping: { subject: '', email: null, emailVerified: null, name: null, username: null },
  pkceRequired: true,
  requiredHostedDomain: null,
};

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]{1,100}$/;
const CLAIM_NAME = /^[A-Za-z0-9_.:-]{1,100}$/;
const ENDPOINT_FIELDS = ['authorizationEndpoint', 'tokenEndpoint', 'userinfoEndpoint', 'jwksUri'] as const;

/**
 * Merges input over `base` and checks the result for its kind; throws BAD_USER_INPUT
 * naming the field. OIDC needs an issuer and client id (and explicit endpoints without
 * discovery); OAUTH2 needs its three endpoints, a client id and the subject field. Shared
 * definitions (`credentialsRequired` false) carry no credentials and no required hosted
 * domain: each tenant brings its own. A required hosted domain is for OIDC providers only.
 */
export function checkedProviderSettings(
  base: StoredProviderSettings,
  input: ProviderSettingsInput,
  { allowInsecureLoopback, credentialsRequired }: { allowInsecureLoopback: boolean; credentialsRequired: boolean },
): ProviderSettings {
  const next: ProviderSettings = {
    ...base,
    claimMapping: { ...base.claimMapping },
    requiredHostedDomain: base.requiredHostedDomain ?? null,
  };
  if (input.kind != null) next.kind = input.kind;
  if (input.displayName != null) next.displayName = normalizeDisplayText(input.displayName);
  if (input.badgeKey != null) next.badgeKey = input.badgeKey;
  if (input.personal != null) next.personal = input.personal;
  if (input.useDiscovery != null) next.useDiscovery = input.useDiscovery;
  if (input.pkceRequired != null) next.pkceRequired = input.pkceRequired;
  if (input.issuer !== undefined) next.issuer = input.issuer?.trim() || null;
  if (input.clientId !== undefined) next.clientId = input.clientId?.trim() || null;
  for (const field of ENDPOINT_FIELDS) if (input[field] !== undefined) next[field] = input[field]?.trim() || null;
  if (input.requiredHostedDomain !== undefined) next.requiredHostedDomain = normalizedHostedDomain(input.requiredHostedDomain);
  if (input.scopes != null) next.scopes = [...new Set(input.scopes.map((scope) => scope.trim()))];
  if (input.claimMapping != null) {
    next.claimMapping = { subject: '', email: null, emailVerified: null, name: null, username: null };
    for (const [key, value] of Object.entries(input.claimMapping) as [keyof ClaimMapping, string | null][]) {
      if (value != null) next.claimMapping[key] = value.trim();
    }
  }

  const nameProblem = displayTextProblem(next.displayName, { min: 1, max: 60 });
  if (nameProblem) throw invalid('displayName', nameProblem);
  if (!(BADGE_KEYS as readonly string[]).includes(next.badgeKey))
    throw invalid('badgeKey', `must be one of ${BADGE_KEYS.join(', ')}`);
  checkHostedDomain(next, credentialsRequired);
  if (next.kind === 'NATIVE') return { ...next, issuer: null, clientId: null, scopes: [], useDiscovery: false };

  if (next.kind === 'OIDC') {
    if (!next.claimMapping.subject) next.claimMapping.subject = 'sub';
    if (!next.scopes.includes('openid')) next.scopes = ['openid', ...next.scopes];
    if (!next.issuer) throw invalid('issuer', 'is required for OIDC providers');
    checkUrl('issuer', next.issuer, allowInsecureLoopback);
  }
  const required =
    next.kind === 'OAUTH2'
      ? (['authorizationEndpoint', 'tokenEndpoint', 'userinfoEndpoint'] as const)
      : next.useDiscovery
        ? ([] as const)
        : (['authorizationEndpoint', 'tokenEndpoint', 'jwksUri'] as const);
  for (const field of required)
    if (!next[field])
      throw invalid(field, `is required for ${next.kind} providers${next.kind === 'OIDC' ? ' without discovery' : ''}`);
  for (const field of ENDPOINT_FIELDS) {
    const url = next[field];
    if (url) checkUrl(field, url, allowInsecureLoopback);
  }
  if (!next.clientId && credentialsRequired) throw invalid('clientId', `is required for ${next.kind} providers`);
  if (next.clientId && next.clientId.length > 255) throw invalid('clientId', 'must be at most 255 characters');
  if (next.scopes.length > 20 || next.scopes.some((scope) => !SCOPE_TOKEN.test(scope))) {
    throw invalid('scopes', 'must be at most 20 scope tokens without spaces or quotes');
  }
  if (!next.claimMapping.subject) throw invalid('claimMapping.subject', 'is required for OAUTH2 providers (e.g. "id")');
  for (const [key, value] of Object.entries(next.claimMapping)) {
    if (value !== null && !CLAIM_NAME.test(value)) throw invalid(`claimMapping.${key}`, 'must be a claim or field name');
  }
  return next;
}

export function checkedClientSecret(secret: string): string {
  if (secret.length < 1 || secret.length > 512) throw invalid('clientSecret', 'must be 1 to 512 characters');
  return secret;
}

/** `requiredHostedDomain`: only on a tenant's OIDC provider (an ID token's `hd` claim), and a DNS name. */
function checkHostedDomain({ kind, requiredHostedDomain }: ProviderSettings, tenantProvider: boolean): void {
  if (requiredHostedDomain === null) return;
  if (kind !== 'OIDC') throw invalid('requiredHostedDomain', 'applies to OIDC providers only');
  if (!tenantProvider) throw invalid('requiredHostedDomain', "belongs to each tenant's provider, not to a shared definition");
  const problem = hostedDomainProblem(requiredHostedDomain);
  if (problem) throw invalid('requiredHostedDomain', problem);
}

function checkUrl(field: string, url: string, allowInsecureLoopback: boolean): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(field, 'must be an absolute URL');
  }
  if (parsed.hash || parsed.username || parsed.password) throw invalid(field, 'must not contain a fragment or credentials');
  if (!isAllowedProviderUrl(url, allowInsecureLoopback)) {
    throw invalid(field, allowInsecureLoopback ? 'must use https (http only on loopback addresses)' : 'must use https');
  }
}

function invalid(field: string, problem: string): BadUserInputError {
  return new BadUserInputError(`${field} ${problem}.`, { field });
}
