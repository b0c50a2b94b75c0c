import { DomainError } from '@messngr/kit/errors';
import { counterOf, histogramOf, type ServiceMetrics } from '@messngr/kit/metrics';

export type LinkMethodLabel = 'EMAIL' | 'PHONE' | 'PROVIDER';

/** The door a session began through: a one-time code, an upstream provider, a recovery code, an operator's recovery link. */
export type SignInMethod = 'CODE' | 'PROVIDER' | 'RECOVERY_CODE' | 'OPERATOR_RECOVERY';

/** `SIGNED_IN`, `ROTATED`, ... or the error code of the refusal (a closed list: `error-codes.ts`). */
export type OutcomeLabel = string;

/**
 * What identity counts, to catch regressions early: link attempts by method and outcome,
 * how long a link takes from start to verified, identities removed and revoked, upstream
 * provider failures by provider and code, sign-ins and refreshes by outcome, one-time codes
 * sent by channel and purpose, and identifiers locked out after too many wrong codes.
 */
export interface IdentityMetrics {
  linkAttempt(method: LinkMethodLabel, outcome: OutcomeLabel): void;
  linkVerified(method: LinkMethodLabel, startedAt: Date, now: Date): void;
  identityGone(how: 'REMOVED' | 'REVOKED'): void;
  upstreamFailure(providerId: string, code: string): void;
  signIn(method: SignInMethod, outcome: OutcomeLabel): void;
  refresh(outcome: OutcomeLabel): void;
  codeSent(channel: 'EMAIL' | 'PHONE', purpose: string, outcome: 'SENT' | 'FAILED'): void;
  lockout(channel: 'EMAIL' | 'PHONE'): void;
}

/** The outcome label of a refusal: its code when it is a DomainError, ERROR otherwise. */
export function outcomeOf(error: unknown): OutcomeLabel {
  return error instanceof DomainError ? error.code : 'ERROR';
}

/** Runs a sign-in and counts it by `method` and outcome: SIGNED_IN, or the code it was refused with. */
export async function countedSignIn<T>(
  metrics: Pick<IdentityMetrics, 'signIn'>,
  method: SignInMethod,
  signIn: () => Promise<T>,
): Promise<T> {
  try {
    const signedIn = await signIn();
    metrics.signIn(method, 'SIGNED_IN');
    return signedIn;
  } catch (error) {
    metrics.signIn(method, outcomeOf(error));
    throw error;
  }
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
  const signIns = counterOf(metrics, {
    name: 'identity_sign_ins_total',
    help: 'Sign-in completions by method (CODE, PROVIDER, RECOVERY_CODE, OPERATOR_RECOVERY) and outcome (SIGNED_IN or an error code).',
    labelNames: ['method', 'outcome'],
  });
  const refreshes = counterOf(metrics, {
    name: 'identity_session_refreshes_total',
    help: 'Refresh token presentations by outcome (ROTATED, GRACE or an error code, REFRESH_TOKEN_REUSED among them).',
    labelNames: ['outcome'],
  });
  const codes = counterOf(metrics, {
    name: 'identity_otp_sends_total',
    help: 'One-time codes handed to the mail or SMS gateway, by channel, purpose and outcome (SENT or FAILED).',
    labelNames: ['channel', 'purpose', 'outcome'],
  });
  const lockouts = counterOf(metrics, {
    name: 'identity_login_lockouts_total',
    help: 'Identifiers locked out of sign-in after too many wrong codes, by channel.',
    labelNames: ['channel'],
  });
  return {
    signIn: (method, outcome) => signIns.inc({ method, outcome }),
    refresh: (outcome) => refreshes.inc({ outcome }),
    codeSent: (channel, purpose, outcome) => codes.inc({ channel, purpose, outcome }),
    lockout: (channel) => lockouts.inc({ channel }),
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
  signIn: () => undefined,
  refresh: () => undefined,
  codeSent: () => undefined,
  lockout: () => undefined,
};
