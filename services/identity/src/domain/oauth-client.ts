import { displayTextProblem, normalizeDisplayText } from '@messngr/kit/core';

/**
 * Who a client is, for the authorization server: a public client runs where it cannot keep a
 * secret (a browser SPA, a mobile or desktop app) and proves itself with PKCE alone; a
 * confidential client is a server that holds a secret; a device client is a daemon or TV that
 * signs its user in with the device authorization grant (RFC 8628) and holds no secret.
 */
export const OAUTH_CLIENT_KINDS = ['PUBLIC', 'CONFIDENTIAL', 'DEVICE'] as const;
export type OAuthClientKind = (typeof OAUTH_CLIENT_KINDS)[number];

/** Where a public client runs: its redirect URIs follow from it (RFC 8252 for native apps). */
export const OAUTH_APPLICATION_TYPES = ['WEB', 'NATIVE'] as const;
export type OAuthApplicationType = (typeof OAUTH_APPLICATION_TYPES)[number];

export const OAUTH_GRANT_TYPES = ['AUTHORIZATION_CODE', 'REFRESH_TOKEN', 'CLIENT_CREDENTIALS', 'DEVICE_CODE'] as const;
export type OAuthGrantType = (typeof OAUTH_GRANT_TYPES)[number];

/** The grant types each kind may be allowed; a client is allowed a subset, and always at least one. */
export const GRANTS_OF_KIND: Record<OAuthClientKind, readonly OAuthGrantType[]> = {
  PUBLIC: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'],
  CONFIDENTIAL: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN', 'CLIENT_CREDENTIALS'],
  DEVICE: ['DEVICE_CODE', 'REFRESH_TOKEN'],
};

/** The scopes Messngr's provider knows; a client is allowed a subset. */
export const OAUTH_SCOPES = ['openid', 'profile', 'email', 'phone', 'offline_access'] as const;
export type OAuthScope = (typeof OAUTH_SCOPES)[number];

export const OAUTH_CLIENT_NAME_LENGTH = { min: 1, max: 80 };
export const MAX_REDIRECT_URIS = 10;
const MAX_URI_LENGTH = 2000;

export interface OAuthClientSettings {
  name: string;
  kind: OAuthClientKind;
  applicationType: OAuthApplicationType;
  /** Made by the tenant itself: signs in without a consent page. Third-party clients ask the user first. */
  firstParty: boolean;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  grantTypes: OAuthGrantType[];
  scopes: OAuthScope[];
}

export interface SettingsInput {
  name?: string | null;
  kind: OAuthClientKind;
  applicationType?: OAuthApplicationType | null;
  firstParty?: boolean | null;
  redirectUris?: readonly string[] | null;
  postLogoutRedirectUris?: readonly string[] | null;
  grantTypes?: readonly OAuthGrantType[] | null;
  scopes?: readonly string[] | null;
}

export type SettingsCheck = { settings: OAuthClientSettings } | { problem: string; field: string };

/**
 * A client's settings, checked whole (registration, or the current ones with an update's
 * changes laid over them): a name; redirect URIs as RFC 8252 and the OAuth security BCP want
 * them; grant types the kind may have (the code flow needs a redirect URI, a device client
 * none); known scopes. Absent lists take the kind's defaults.
 */
export function checkClientSettings(input: SettingsInput): SettingsCheck {
  const name = normalizeDisplayText(input.name ?? '');
  const nameProblem = displayTextProblem(name, OAUTH_CLIENT_NAME_LENGTH);
  if (nameProblem) return { problem: `name ${nameProblem}.`, field: 'name' };

  const kind = input.kind;
  const applicationType: OAuthApplicationType = kind === 'PUBLIC' ? (input.applicationType ?? 'WEB') : 'WEB';
  if (kind !== 'PUBLIC' && input.applicationType === 'NATIVE') {
    return { problem: 'Only a public client can be a native app.', field: 'applicationType' };
  }

  const grantTypes = unique(input.grantTypes ?? defaultGrants(kind));
  if (grantTypes.length === 0) return { problem: 'A client needs at least one grant type.', field: 'grantTypes' };
  const notAllowed = grantTypes.find((grant) => !GRANTS_OF_KIND[kind].includes(grant));
  if (notAllowed) return { problem: `A ${kind.toLowerCase()} client cannot use ${notAllowed}.`, field: 'grantTypes' };

  const usesRedirects = grantTypes.includes('AUTHORIZATION_CODE');
  const redirectUris = unique(input.redirectUris ?? []);
  const postLogoutRedirectUris = unique(input.postLogoutRedirectUris ?? []);
  if (usesRedirects && redirectUris.length === 0) {
    return { problem: 'The authorization code grant needs at least one redirect URI.', field: 'redirectUris' };
  }
  if (!usesRedirects && redirectUris.length + postLogoutRedirectUris.length > 0) {
    return { problem: 'Only a client using the authorization code grant has redirect URIs.', field: 'redirectUris' };
  }
  for (const [field, uris] of [
    ['redirectUris', redirectUris],
    ['postLogoutRedirectUris', postLogoutRedirectUris],
  ] as const) {
    if (uris.length > MAX_REDIRECT_URIS) return { problem: `At most ${MAX_REDIRECT_URIS} URIs.`, field };
    for (const [index, uri] of uris.entries()) {
      const problem = redirectUriProblem(uri, applicationType);
      if (problem) return { problem: `${uri.slice(0, 100)}: ${problem}`, field: `${field}.${index}` };
    }
  }

  const scopes = unique(input.scopes ?? ['openid', 'profile', 'email']);
  const unknownScope = scopes.find((scope) => !(OAUTH_SCOPES as readonly string[]).includes(scope));
  if (unknownScope !== undefined) {
    return { problem: `Unknown scope ${unknownScope.slice(0, 40)}; known: ${OAUTH_SCOPES.join(', ')}.`, field: 'scopes' };
  }
  return {
    settings: {
      name,
      kind,
      applicationType,
      firstParty: input.firstParty ?? false,
      redirectUris,
      postLogoutRedirectUris,
      grantTypes,
      scopes: scopes as OAuthScope[],
    },
  };
}

function defaultGrants(kind: OAuthClientKind): OAuthGrantType[] {
  if (kind === 'DEVICE') return ['DEVICE_CODE', 'REFRESH_TOKEN'];
  return ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'];
}

/**
 * Why a redirect URI may not be registered, or undefined. Exact URIs only (no wildcards, no
 * fragment, RFC 6749 §3.1.2). A web client's are https. A native app's (RFC 8252 §7) are a
 * loopback IP literal over http (`127.0.0.1` or `[::1]`, any port at use, §7.3; not
 * `localhost`, §8.3), a private-use scheme in reverse domain-name form (`com.example.app:/cb`,
 * §7.1), or https (claimed URLs, §7.2).
 */
export function redirectUriProblem(raw: string, applicationType: OAuthApplicationType): string | undefined {
  if (raw.length > MAX_URI_LENGTH) return `longer than ${MAX_URI_LENGTH} characters.`;
  if (raw !== raw.trim() || /[\s\u0000-\u001f\u007f]/.test(raw)) return 'contains white space or control characters.';
  if (raw.includes('*')) return 'wildcards are not allowed: register each URI exactly.';
  let uri: URL;
  try {
    uri = new URL(raw);
  } catch {
    return 'not an absolute URI.';
  }
  if (raw.includes('#')) return 'must not contain a fragment.';
  if (uri.username || uri.password) return 'must not contain user information.';
  const scheme = uri.protocol.slice(0, -1);
  if (scheme === 'https') return uri.hostname ? undefined : 'names no host.';
  if (applicationType === 'WEB') return 'a web client’s redirect URIs must use https.';
  if (scheme === 'http') {
    if (uri.hostname === '127.0.0.1' || uri.hostname === '[::1]') return undefined;
    if (uri.hostname === 'localhost') return 'use the loopback IP literal 127.0.0.1 or [::1], not localhost (RFC 8252 §8.3).';
    return 'a native app’s http redirect URI must be a loopback IP literal (RFC 8252 §7.3).';
  }
  if (!/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/.test(scheme)) {
    return 'a private-use scheme must be a reverse domain name, e.g. com.example.app (RFC 8252 §7.1).';
  }
  return undefined;
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
