/** Crockford base32 as the kit's `newId` writes ids: 10 characters of milliseconds, then 16 random. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * The smallest event id of the millisecond `time`: every event of that instant or later sorts
 * at or above it, every earlier one below. Event ids are time-ordered, so a time range over
 * entries is an `_id` range and rides the same index as the page itself.
 */
export function firstEventIdAt(time: Date): string {
  let remaining = Math.max(0, Math.floor(time.getTime()));
  let encoded = '';
  for (let i = 0; i < 10; i += 1) {
    encoded = ALPHABET[remaining % 32] + encoded;
    remaining = Math.floor(remaining / 32);
  }
  return `evt_${encoded}${'0'.repeat(16)}`;
}

/** `_id` bounds for entries from `from` (inclusive) to `to` (inclusive), newest first below `after` when given. */
export function idRange(bounds: { from?: Date | null; to?: Date | null; after?: string | null }): {
  $gte?: string;
  $lt?: string;
} {
  const range: { $gte?: string; $lt?: string } = {};
  if (bounds.from) range.$gte = firstEventIdAt(bounds.from);
  const upper = [bounds.after ?? null, bounds.to ? firstEventIdAt(new Date(bounds.to.getTime() + 1)) : null].filter(
    (value): value is string => value !== null,
  );
  if (upper.length > 0) range.$lt = upper.sort()[0];
  return range;
}
