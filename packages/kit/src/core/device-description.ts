import { displayTextProblem } from './display-text';

/** A device's name, as people recognise it (`Pixel 8`), after normalizing white space. */
export const DEVICE_NAME_LENGTH = { min: 1, max: 64 };

export const APP_VERSION_LENGTH = { min: 1, max: 32 };

/** The app version a client states, trimmed (1 to 32 characters, no control characters), or a problem; absent is none. */
export function checkAppVersion(raw: string | null | undefined): { value: string | null } | { problem: string } {
  if (raw === undefined || raw === null) return { value: null };
  const value = raw.trim();
  const problem = displayTextProblem(value, APP_VERSION_LENGTH);
  return problem ? { problem: `appVersion ${problem}.` } : { value };
}
