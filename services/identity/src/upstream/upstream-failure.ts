import { OutboundRequestError } from '@messngr/kit/http';
import type { ProviderFlowFailure } from '../domain/provider-flow';

/** A provider round that went wrong, with the code the flow fails with. Carries no upstream text. */
export class UpstreamFailure extends Error {
  constructor(readonly code: ProviderFlowFailure) {
    super(`upstream provider round failed: ${code}`);
  }
}

/** What the relying party's fetch saw during one exchange, to tell the failures apart. */
export interface ExchangeObservations {
  networkFailed: boolean;
  tokenResponse: { status: number; body: Record<string, unknown> | null } | null;
}

/**
 * Which failure an openid-client error is. The library says what failed in `code`; where it
 * failed comes from what the fetch saw: nothing back (unavailable), an error answer (refused),
 * or a token response whose ID token did not validate.
 */
export function classifyExchangeFailure(error: unknown, seen: ExchangeObservations, kind: 'OIDC' | 'OAUTH2'): UpstreamFailure {
  if (error instanceof UpstreamFailure) return error;
  if (seen.networkFailed || causedBy(error, (cause) => cause instanceof OutboundRequestError)) {
    return new UpstreamFailure('UPSTREAM_UNAVAILABLE');
  }
  const token = seen.tokenResponse;
  if (token && token.status >= 500) return new UpstreamFailure('UPSTREAM_UNAVAILABLE');
  // GitHub answers a bad code with 200 and an `error` member.
  if (token && (token.status >= 400 || typeof token.body?.['error'] === 'string')) return new UpstreamFailure('UPSTREAM_REFUSED');
  if (isNamed(error, 'ResponseBodyError') || isNamed(error, 'WWWAuthenticateChallengeError'))
    return new UpstreamFailure('UPSTREAM_REFUSED');
  if (kind === 'OIDC' && token && token.status < 300 && typeof token.body?.['id_token'] === 'string') {
    return new UpstreamFailure('INVALID_ID_TOKEN');
  }
  return new UpstreamFailure('UPSTREAM_INVALID_RESPONSE');
}

function isNamed(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}

function causedBy(error: unknown, test: (cause: unknown) => boolean): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth += 1) {
    if (test(current)) return true;
    current = current instanceof Error ? current.cause : undefined;
  }
  return false;
}
