import type { OutboundFetch } from '@messngr/kit/http';

export interface ProviderEndpoints {
  authorizationEndpoint?: string | null;
  tokenEndpoint?: string | null;
  userinfoEndpoint?: string | null;
  jwksUri?: string | null;
}

export type ProviderCheckInput =
  | { kind: 'OIDC'; issuer: string; useDiscovery: boolean; endpoints?: ProviderEndpoints }
  | { kind: 'OAUTH2'; endpoints: ProviderEndpoints };

/**
 * UNREACHABLE stands for every way a request can fail (refused address, DNS, connection,
 * TLS, timeout, an HTTP error status, a redirect): one coarse code, so a report cannot be
 * used to map what answers where.
 */
export type ProviderCheckProblemCode =
  | 'UNREACHABLE'
  | 'INVALID_JSON'
  | 'INVALID_DOCUMENT'
  | 'ISSUER_MISMATCH'
  | 'PKCE_S256_UNSUPPORTED'
  | 'MISSING_ENDPOINT'
  | 'INSECURE_URL';

export interface ProviderCheckProblem {
  code: ProviderCheckProblemCode;
  message: string;
  url?: string;
}

export interface DiscoveredProviderMetadata {
  issuer: string | null;
  authorizationEndpoint: string | null;
  tokenEndpoint: string | null;
  userinfoEndpoint: string | null;
  jwksUri: string | null;
  codeChallengeMethodsSupported: string[];
  scopesSupported: string[];
  authorizationResponseIssParameterSupported: boolean;
}

export interface ProviderCheckReport {
  ok: boolean;
  problems: ProviderCheckProblem[];
  discovered: DiscoveredProviderMetadata | null;
}

export interface ProviderCheckOptions {
  /** The kit's guarded outbound fetch: it refuses private addresses and bounds size and time. */
  fetch: OutboundFetch;
  allowInsecureLoopback?: boolean;
}
