import { afterRightCode, afterWrongCode, FAILURES_BEFORE_LOCKOUT, lockedForMs, NO_LOCKOUT, type LockoutState } from './login-lockout';

const T0 = new Date('2026-12-01T10:00:00Z');

function wrongTimes(times: number, start: LockoutState = NO_LOCKOUT): { state: LockoutState; lockedUntil: Date | null } {
  let state = start;
  let lockedUntil: Date | null = null;
  for (let i = 0; i < times; i += 1) ({ next: state, lockedUntil } = afterWrongCode(state, T0));
  return { state, lockedUntil };
}

describe('locking an identifier after wrong codes', () => {
  it('locks at the tenth wrong code for 15 minutes, not before', () => {
    expect(wrongTimes(FAILURES_BEFORE_LOCKOUT - 1).lockedUntil).toBeNull();
    const { state, lockedUntil } = wrongTimes(FAILURES_BEFORE_LOCKOUT);
    expect(lockedUntil).toEqual(new Date(T0.getTime() + 15 * 60_000));
    expect(lockedForMs(state, T0)).toBe(15 * 60_000);
    expect(lockedForMs(state, new Date(T0.getTime() + 15 * 60_000))).toBe(0);
  });

  it('doubles the lockout each time, up to a day', () => {
    let state = NO_LOCKOUT;
    const lengths: number[] = [];
    for (let lockout = 0; lockout < 9; lockout += 1) {
      const result = wrongTimes(FAILURES_BEFORE_LOCKOUT, state);
      state = result.state;
      lengths.push((result.lockedUntil!.getTime() - T0.getTime()) / 60_000);
    }
    expect(lengths).toEqual([15, 30, 60, 120, 240, 480, 960, 1440, 1440]);
  });

  it('forgives wrong guesses after the right code, but remembers the lockouts', () => {
    const locked = wrongTimes(FAILURES_BEFORE_LOCKOUT).state;
    const afterTwoWrong = wrongTimes(2, locked).state;
    expect(afterRightCode(afterTwoWrong)).toEqual({ ...afterTwoWrong, failures: 0 });
  });
});
