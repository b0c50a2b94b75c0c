import type { Clock } from '@messngr/kit/core';

const HOUR_MS = 3_600_000;

/**
 * A clock that runs with real time from an offset a test moves forward (never back), for
 * `StackOptions.identityClock`: code expiry and lockouts are tested by moving it, not by sleeping.
 */
export class MovableClock implements Clock {
  #offsetMs = 0;

  /** An arrow, so that a caller holding `now` alone still reads this clock. */
  readonly now = (): Date => new Date(Date.now() + this.#offsetMs);

  /** How far ahead of real time this clock is. */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  advance(ms: number): void {
    if (ms < 0) throw new Error('a movable clock only moves forward');
    this.#offsetMs += ms;
  }

  /**
   * Moves forward to the start of the next clock hour if less than `ms` remain of this one:
   * send limits count per clock hour, and a test counting sends must not see the window change.
   */
  leaveRoomInHour(ms: number): void {
    const now = this.now().getTime();
    const left = HOUR_MS - (now % HOUR_MS);
    if (left < ms) this.advance(left + 1_000);
  }
}
