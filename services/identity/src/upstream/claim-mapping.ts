import type { ProviderConnectionData } from '@messngr/contracts';
import type { UpstreamIdentity } from '../domain/provider-flow';
import { UpstreamFailure } from './upstream-failure';

type ClaimMapping = ProviderConnectionData['claimMapping'];

/**
 * The tenant's claim mapping applied to what the provider said. The subject is the stable key
 * (GitHub's numeric `id`, never the login); an email claim is only ever shown, never used to
 * find or join an account.
 */
export function identityFromClaims(
  kind: 'OIDC' | 'OAUTH2',
  issuer: string,
  mapping: ClaimMapping,
  claims: Record<string, unknown>,
): UpstreamIdentity {
  const subject = scalar(claims[mapping.subject]);
  if (!subject) throw new UpstreamFailure('UPSTREAM_INVALID_RESPONSE');
  const username = mapping.username ? scalar(claims[mapping.username]) : null;
  const email = mapping.email ? scalar(claims[mapping.email]) : null;
  const name = mapping.name ? scalar(claims[mapping.name]) : null;
  return { kind, issuer, subject, displayValue: (username ?? email ?? subject).slice(0, 200), name: name?.slice(0, 80) ?? null };
}

function scalar(value: unknown): string | null {
  if (typeof value === 'string' && value.trim().length > 0 && value.length <= 255) return value.trim();
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return null;
}
