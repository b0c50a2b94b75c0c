import { counterOf, histogramOf, type ServiceMetrics } from '@messngr/kit/metrics';

export type LinkMethodLabel = 'EMAIL' | 'PHONE' | 'PROVIDER';

/**
 * What account self-service counts, to catch regressions early: link attempts by method and
 * outcome, how long a link takes from start to verified, identities removed and revoked, and
 * upstream provider failures by provider and code.
 */
export interface IdentityMetrics {
  linkAttempt(method: LinkMethodLabel, outcome: string): void;
  linkVerified(method: LinkMethodLabel, startedAt: Date, now: Date): void;
  identityGone(how: 'REMOVED' | 'REVOKED'): void;
  upstreamFailure(providerId: string, code: string): void;
}

export function identityMetrics(metrics: ServiceMetrics): IdentityMetrics {
  const attempts = counterOf(metrics, {
    name: 'identity_link_attempts_total',
    help: 'Identity link attempts by method (EMAIL, PHONE, PROVIDER) and outcome (STARTED, LINKED or an error code).',
    labelNames: ['method', 'outcome'],
  });
  const gone = counterOf(metrics, {
    name: 'identity_removals_total',
    help: 'Identities taken off accounts: REMOVED (confirmed removal) or REVOKED (compromised).',
    labelNames: ['how'],
  });
  const upstream = counterOf(metrics, {
    name: 'identity_upstream_failures_total',
    help: 'Rounds through upstream providers that failed, by provider id and error code.',
    labelNames: ['provider', 'code'],
  });
  const latency = histogramOf(metrics, {
    name: 'identity_link_verification_seconds',
    help: 'Time from starting an identity link to the identity being verified, by method.',
    labelNames: ['method'],
    buckets: [1, 5, 10, 30, 60, 120, 300, 600, 1800],
  });
  return {
    linkAttempt: (method, outcome) => attempts.inc({ method, outcome }),
    linkVerified: (method, startedAt, now) =>
      latency.observe({ method }, Math.max(0, (now.getTime() - startedAt.getTime()) / 1000)),
    identityGone: (how) => gone.inc({ how }),
    upstreamFailure: (provider, code) => upstream.inc({ provider, code }),
  };
}

/** For tools that open the dependencies without serving (the operator CLI): nothing is counted. */
export const UNCOUNTED: IdentityMetrics = {
  linkAttempt: () => undefined,
  linkVerified: () => undefined,
  identityGone: () => undefined,
  upstreamFailure: () => undefined,
};
