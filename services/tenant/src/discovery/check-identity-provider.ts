import { isAllowedProviderUrl } from '../domain/provider-url';
import { fetchDiscoveryDocument } from './fetch-discovery-document';
import { parseDiscoveryDocument } from './parse-discovery-document';
import { probeEndpoint } from './probe-endpoint';
import type {
  DiscoveredProviderMetadata,
  ProviderCheckInput,
  ProviderCheckOptions,
  ProviderCheckProblem,
  ProviderCheckReport,
  ProviderEndpoints,
} from './provider-check';

export type * from './provider-check';

const ENDPOINT_LABELS: Record<keyof ProviderEndpoints, string> = {
  authorizationEndpoint: 'authorization endpoint',
  tokenEndpoint: 'token endpoint',
  userinfoEndpoint: 'userinfo endpoint',
  jwksUri: 'JWKS URI',
};
const ENDPOINT_FIELDS = Object.keys(ENDPOINT_LABELS) as (keyof ProviderEndpoints)[];

/**
 * What an identity provider configuration finds and what is wrong with it. Upstream failures
 * become problems with stable codes; it throws only when called with an impossible input.
 * With discovery the provider's document is fetched and checked; otherwise every configured
 * endpoint must answer. URLs that are not allowed are reported and never requested; every
 * request goes through the guarded fetch, so private addresses are refused after DNS too.
 */
export async function checkIdentityProvider(
  input: ProviderCheckInput,
  options: ProviderCheckOptions,
): Promise<ProviderCheckReport> {
  if (input.kind !== 'OIDC' && input.kind !== 'OAUTH2') {
    throw new TypeError(`Cannot check a provider of kind ${String((input as { kind: unknown }).kind)}`);
  }
  const allowInsecureLoopback = options.allowInsecureLoopback ?? false;
  const endpoints = input.endpoints ?? {};
  const problems: ProviderCheckProblem[] = [];

  const refused = new Set<string>();
  const checkUrl = (label: string, url: string) => {
    if (isAllowedProviderUrl(url, allowInsecureLoopback)) return;
    refused.add(url);
    const allowed = allowInsecureLoopback ? 'an https URL (http only on loopback)' : 'an https URL';
    problems.push({ code: 'INSECURE_URL', message: `The ${label} must be ${allowed}.`, url });
  };
  if (input.kind === 'OIDC') {
    if (input.issuer) checkUrl('issuer', input.issuer);
    else problems.push({ code: 'MISSING_ENDPOINT', message: 'The issuer is not configured.' });
  }
  for (const field of ENDPOINT_FIELDS) {
    const url = endpoints[field];
    if (url) checkUrl(ENDPOINT_LABELS[field], url);
  }

  if (input.kind === 'OIDC' && input.useDiscovery) {
    if (!input.issuer || refused.has(input.issuer)) return report(problems, null);
    // OpenID Connect Discovery 1.0 §4: a terminating "/" is removed before appending the well-known path.
    const url = `${input.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const fetched = await fetchDiscoveryDocument(url, options.fetch);
    if ('problem' in fetched) return report([...problems, fetched.problem], null);
    const parsed = parseDiscoveryDocument(fetched.document, { configuredIssuer: input.issuer, allowInsecureLoopback, url });
    return report([...problems, ...parsed.problems], parsed.discovered);
  }

  const required: (keyof ProviderEndpoints)[] =
    input.kind === 'OAUTH2'
      ? ['authorizationEndpoint', 'tokenEndpoint', 'userinfoEndpoint']
      : ['authorizationEndpoint', 'tokenEndpoint', 'jwksUri'];
  for (const field of required) {
    if (endpoints[field]) continue;
    problems.push({ code: 'MISSING_ENDPOINT', message: `The ${ENDPOINT_LABELS[field]} is not configured.` });
  }
  const probed = [...new Set(ENDPOINT_FIELDS.map((field) => endpoints[field]))].filter(
    (url): url is string => !!url && !refused.has(url),
  );
  for (const problem of await Promise.all(probed.map((url) => probeEndpoint(url, options.fetch)))) {
    if (problem) problems.push(problem);
  }
  return report(problems, {
    issuer: input.kind === 'OIDC' ? input.issuer : null,
    authorizationEndpoint: endpoints.authorizationEndpoint ?? null,
    tokenEndpoint: endpoints.tokenEndpoint ?? null,
    userinfoEndpoint: endpoints.userinfoEndpoint ?? null,
    jwksUri: endpoints.jwksUri ?? null,
    codeChallengeMethodsSupported: [],
    scopesSupported: [],
    authorizationResponseIssParameterSupported: false,
  });
}

function report(problems: ProviderCheckProblem[], discovered: DiscoveredProviderMetadata | null): ProviderCheckReport {
  return { ok: problems.length === 0, problems, discovered };
}
