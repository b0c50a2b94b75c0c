import { randomInt } from 'node:crypto';

export const HANDLE_PATTERN = /^[a-z0-9](?:[a-z0-9_.]{1,28}[a-z0-9])$/;

export function handleProblem(handle: string): string | undefined {
  if (!HANDLE_PATTERN.test(handle))
    return 'must be 3 to 30 lower-case letters, digits, "_" or "." and start and end with a letter or digit';
  if (/[._]{2}/.test(handle)) return 'must not contain two separators in a row';
  return undefined;
}

/** "Kari Nordmann" → "kari.nordmann.4821": readable, and unlikely to collide. */
export function handleFromDisplayName(displayName: string, random: () => number = () => randomInt(1000, 10000)): string {
  const base = displayName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.+|\.+$/g, '')
    .slice(0, 20)
    .replace(/\.+$/g, '');
  return `${base.length >= 1 ? base : 'user'}.${random()}`;
}
