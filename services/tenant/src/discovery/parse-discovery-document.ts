import { isAllowedProviderUrl } from '../domain/provider-url';
import type { DiscoveredProviderMetadata, ProviderCheckProblem } from './provider-check';

const REQUIRED_FIELDS = ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const;
const ENDPOINT_FIELDS = ['authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'jwks_uri'] as const;

/** Reads the metadata the relying party needs from a parsed discovery document and lists what is wrong with it. */
export function parseDiscoveryDocument(
  document: unknown,
  { configuredIssuer, allowInsecureLoopback, url }: { configuredIssuer: string; allowInsecureLoopback: boolean; url: string },
): { discovered: DiscoveredProviderMetadata | null; problems: ProviderCheckProblem[] } {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return {
      discovered: null,
      problems: [{ code: 'INVALID_DOCUMENT', message: 'The discovery document is not a JSON object.', url }],
    };
  }
  const fields = document as Record<string, unknown>;
  const text = (name: string): string | null => {
    const value = fields[name];
    return typeof value === 'string' && value !== '' ? value : null;
  };
  const strings = (name: string): string[] => {
    const value = fields[name];
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  };

  const discovered: DiscoveredProviderMetadata = {
    issuer: text('issuer'),
    authorizationEndpoint: text('authorization_endpoint'),
    tokenEndpoint: text('token_endpoint'),
    userinfoEndpoint: text('userinfo_endpoint'),
    jwksUri: text('jwks_uri'),
    codeChallengeMethodsSupported: strings('code_challenge_methods_supported'),
    scopesSupported: strings('scopes_supported'),
    authorizationResponseIssParameterSupported: fields['authorization_response_iss_parameter_supported'] === true,
  };

  const problems: ProviderCheckProblem[] = [];
  for (const field of REQUIRED_FIELDS) {
    if (text(field) === null)
      problems.push({ code: 'MISSING_ENDPOINT', message: `The discovery document has no ${field}.`, url });
  }
  // OpenID Connect Discovery 1.0 §4.3: the issuer must be identical, character for character.
  if (discovered.issuer !== null && discovered.issuer !== configuredIssuer) {
    problems.push({ code: 'ISSUER_MISMATCH', message: 'The discovery document names a different issuer than configured.', url });
  }
  if (!discovered.codeChallengeMethodsSupported.includes('S256')) {
    problems.push({ code: 'PKCE_S256_UNSUPPORTED', message: 'The provider does not advertise PKCE with S256.', url });
  }
  for (const field of ENDPOINT_FIELDS) {
    const endpoint = text(field);
    if (endpoint !== null && !isAllowedProviderUrl(endpoint, allowInsecureLoopback)) {
      problems.push({ code: 'INSECURE_URL', message: `The discovered ${field} is not an allowed https URL.`, url: endpoint });
    }
  }
  return { discovered, problems };
}
