import { STARTING_SESSION_COOKIE, STARTING_SESSION_LIFETIMES } from '@messngr/contracts';
import { BadUserInputError } from '@messngr/kit/errors';

export interface SessionSettings {
  cookieName: string;
  cookieDomain: string | null;
  sessionTtlSeconds: number;
  refreshTokenAbsoluteLifetimeSeconds: number;
}

export type SessionSettingsChanges = { [Key in keyof SessionSettings]?: SessionSettings[Key] | null };

export const DEFAULT_SESSION_SETTINGS: SessionSettings = {
  cookieName: STARTING_SESSION_COOKIE.name,
  cookieDomain: STARTING_SESSION_COOKIE.domain,
  ...STARTING_SESSION_LIFETIMES,
};

const SESSION_TTL = { min: 300, max: 90 * 24 * 3600 };
const REFRESH_LIFETIME = { min: 3600, max: 365 * 24 * 3600 };
const COOKIE_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const HOST_NAME = /^(?=.{1,253}$)\.?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Applies changes to settings and checks the result; throws BAD_USER_INPUT naming the field. */
export function applySessionSettings(
  current: SessionSettings,
  changes: SessionSettingsChanges | null | undefined,
): SessionSettings {
  // null means "leave as is", except for the cookie domain, where it means "host only".
  const provided = Object.fromEntries(
    Object.entries(changes ?? {}).filter(([key, value]) => value !== undefined && (value !== null || key === 'cookieDomain')),
  );
  const next: SessionSettings = { ...current, ...provided };
  if (!COOKIE_NAME.test(next.cookieName)) throw invalid('cookieName', 'must be 1 to 64 letters, digits, "-" or "_"');
  if (next.cookieDomain !== null) {
    next.cookieDomain = next.cookieDomain.trim().toLowerCase();
    if (!HOST_NAME.test(next.cookieDomain)) throw invalid('cookieDomain', 'must be a host name');
  }
  if (!inRange(next.sessionTtlSeconds, SESSION_TTL)) {
    throw invalid('sessionTtlSeconds', `must be ${SESSION_TTL.min} to ${SESSION_TTL.max} seconds`);
  }
  if (!inRange(next.refreshTokenAbsoluteLifetimeSeconds, REFRESH_LIFETIME)) {
    throw invalid('refreshTokenAbsoluteLifetimeSeconds', `must be ${REFRESH_LIFETIME.min} to ${REFRESH_LIFETIME.max} seconds`);
  }
  if (next.refreshTokenAbsoluteLifetimeSeconds < next.sessionTtlSeconds) {
    throw invalid('refreshTokenAbsoluteLifetimeSeconds', 'must be at least the session lifetime');
  }
  return next;
}

function inRange(value: number, { min, max }: { min: number; max: number }): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

function invalid(field: string, problem: string): BadUserInputError {
  return new BadUserInputError(`session.${field} ${problem}.`, { field: `session.${field}` });
}
