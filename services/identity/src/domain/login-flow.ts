import { CODE_TTL_MS, MAX_ATTEMPTS_PER_CODE } from './one-time-code';

/** The closed set of states of a sign-in by one-time code (drawn in login-flow.mermaid). */
export type LoginFlowState = 'CODE_SENT' | 'COMPLETED' | 'FAILED';

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
  next: Pick<LoginFlowFacts, 'state' | 'code'>;
  /** A wrong code counts against the identifier too (lockout); an expired flow or dead code does not. */
  wrongGuess: boolean;
}

export function isFlowExpired(flow: Pick<LoginFlowFacts, 'expiresAt'>, now: Date): boolean {
  return now.getTime() >= flow.expiresAt.getTime();
}

/**
 * Every attempt is counted, the right code included: five per code, and the sixth and later
 * are refused whatever they say (so 50 concurrent guesses count 50 and none slips through).
 * A code is single use: once the flow completed, it is over. Expiry is checked here, on
 * every attempt, never stored as a state.
 */
export function decidePresentedCode(flow: LoginFlowFacts, codeIsRight: boolean, now: Date): CodeDecision {
  const refuse = (refusal: CodeRefusal, wrongGuess = false): CodeDecision => ({
    outcome: { accepted: false, refusal },
    next: { state: flow.state, code: { ...flow.code, attempts: flow.code.attempts + 1 } },
    wrongGuess,
  });
  if (flow.state !== 'CODE_SENT') return refuse('INVALID_CODE');
  if (isFlowExpired(flow, now) || now.getTime() >= flow.code.expiresAt.getTime()) return refuse('FLOW_EXPIRED');
  if (flow.code.attempts >= MAX_ATTEMPTS_PER_CODE) return refuse('TOO_MANY_ATTEMPTS');
  if (!codeIsRight) return refuse('INVALID_CODE', true);
  return {
    outcome: { accepted: true },
    next: { state: 'COMPLETED', code: { ...flow.code, attempts: flow.code.attempts + 1 } },
    wrongGuess: false,
  };
}

/** A new code replaces the one before it: the old hash is gone, attempts start again. */
export function replacementCode(hash: string, now: Date): LoginFlowCode {
  return { hash, issuedAt: now, expiresAt: new Date(now.getTime() + CODE_TTL_MS), attempts: 0 };
}
