/** Wrong codes for one identifier, across its flows, before sign-in with it is locked. */
export const FAILURES_BEFORE_LOCKOUT = 10;
const FIRST_LOCKOUT_MS = 15 * 60_000;
const LONGEST_LOCKOUT_MS = 24 * 3_600_000;

export interface LockoutState {
  failures: number;
  lockouts: number;
  lockedUntil: Date | null;
}

export const NO_LOCKOUT: LockoutState = { failures: 0, lockouts: 0, lockedUntil: null };

/** Milliseconds until sign-in with the identifier is possible again; 0 when it is now. */
export function lockedForMs(state: LockoutState, now: Date): number {
  return state.lockedUntil ? Math.max(0, state.lockedUntil.getTime() - now.getTime()) : 0;
}

/**
 * One more wrong code. The tenth locks the identifier, for 15 minutes the first time and
 * twice as long each time after (at most a day); the count starts again after a lockout.
 */
export function afterWrongCode(state: LockoutState, now: Date): { next: LockoutState; lockedUntil: Date | null } {
  const failures = state.failures + 1;
  if (failures < FAILURES_BEFORE_LOCKOUT) return { next: { ...state, failures }, lockedUntil: null };
  const lockedUntil = new Date(now.getTime() + Math.min(LONGEST_LOCKOUT_MS, FIRST_LOCKOUT_MS * 2 ** state.lockouts));
  return { next: { failures: 0, lockouts: state.lockouts + 1, lockedUntil }, lockedUntil };
}

/** The right code: wrong guesses are forgiven; how often it was locked is remembered. */
export function afterRightCode(state: LockoutState): LockoutState {
  return { ...state, failures: 0 };
}
