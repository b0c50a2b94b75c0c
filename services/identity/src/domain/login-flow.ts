import { CODE_TTL_MS, MAX_ATTEMPTS_PER_CODE } from './one-time-code';

/** The closed set of states of a sign-in by one-time code (drawn in login-flow.mermaid). */
export type LoginFlowState = 'CODE_SENT' | 'COMPLETED' | 'FAILED' | 'CANCELLED';

/** A sign-in flow may be resent to and completed for this long after it began. */
export const LOGIN_FLOW_TTL_MS = 30 * 60_000;

export interface LoginFlowCode {
  hash: string;
  issuedAt: Date;
  expiresAt: Date;
  attempts: number;
}

export interface LoginFlowFacts {
  state: LoginFlowState;
  expiresAt: Date;
  code: LoginFlowCode;
}

export type CodeRefusal = 'INVALID_CODE' | 'TOO_MANY_ATTEMPTS' | 'FLOW_EXPIRED';

/** What presenting a code to a flow does: the flow's next facts, and whether it signs in. */
export interface CodeDecision {
  outcome: { accepted: true } | { accepted: false; refusal: CodeRefusal };
  /** The flow's next facts; null when the attempt changes nothing and nothing is written. */
  next: Pick<LoginFlowFacts, 'state' | 'code'> | null;
  /** A wrong code counts against the identifier too (lockout); an expired flow or dead code does not. */
  wrongGuess: boolean;
}

export function isFlowExpired(flow: Pick<LoginFlowFacts, 'expiresAt'>, now: Date): boolean {
  return now.getTime() >= flow.expiresAt.getTime();
}

/**
 * Five attempts per code, the right one included: each attempt on a live code is counted
 * by writing it (version-guarded, so concurrent attempts are judged one at a time), and the
 * sixth and later are refused whatever they say. A refusal that does not depend on the code
 * (a dead code, an expired or finished flow) changes nothing and is not written: it is
 * final whatever else happens, and 50 concurrent guesses then cost five writes, not 50
 * contending ones. A code is single use: once the flow completed, it is over. Expiry is
 * checked here, on every attempt, never stored as a state.
 */
export function decidePresentedCode(flow: LoginFlowFacts, codeIsRight: boolean, now: Date): CodeDecision {
  const counted = { ...flow.code, attempts: flow.code.attempts + 1 };
  const refuse = (refusal: CodeRefusal): CodeDecision => ({
    outcome: { accepted: false, refusal },
    next: null,
    wrongGuess: false,
  });
  if (flow.state !== 'CODE_SENT') return refuse('INVALID_CODE');
  if (isFlowExpired(flow, now) || now.getTime() >= flow.code.expiresAt.getTime()) return refuse('FLOW_EXPIRED');
  if (flow.code.attempts >= MAX_ATTEMPTS_PER_CODE) return refuse('TOO_MANY_ATTEMPTS');
  if (!codeIsRight) {
    return {
      outcome: { accepted: false, refusal: 'INVALID_CODE' },
      next: { state: flow.state, code: counted },
      wrongGuess: true,
    };
  }
  return { outcome: { accepted: true }, next: { state: 'COMPLETED', code: counted }, wrongGuess: false };
}

/** A new code replaces the one before it: the old hash is gone, attempts start again. */
export function replacementCode(hash: string, now: Date): LoginFlowCode {
  return { hash, issuedAt: now, expiresAt: new Date(now.getTime() + CODE_TTL_MS), attempts: 0 };
}
