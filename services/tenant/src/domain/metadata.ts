import { BadUserInputError } from '@messngr/kit/errors';

export type Metadata = Record<string, string | number | boolean | null>;

const MAX_KEYS = 50;
const KEY = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Free-form labels: at most 50 keys, short keys, primitive values of bounded size. */
export function checkedMetadata(value: unknown): Metadata {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('must be an object');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_KEYS) throw invalid(`must have at most ${MAX_KEYS} keys`);
  for (const [key, item] of entries) {
    if (!KEY.test(key)) throw invalid(`key "${key.slice(0, 64)}" must be 1 to 64 letters, digits or . _ : -`);
    const primitive = item === null || ['string', 'number', 'boolean'].includes(typeof item);
    if (!primitive) throw invalid(`value of "${key}" must be a string, number, boolean or null`);
    if (typeof item === 'string' && item.length > 500) throw invalid(`value of "${key}" must be at most 500 characters`);
    if (typeof item === 'number' && !Number.isFinite(item)) throw invalid(`value of "${key}" must be a finite number`);
  }
  return Object.fromEntries(entries) as Metadata;
}

function invalid(problem: string): BadUserInputError {
  return new BadUserInputError(`metadata ${problem}.`, { field: 'metadata' });
}
