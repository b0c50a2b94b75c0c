import { BadUserInputError } from '@messngr/kit/errors';
import { canonicalLocale, isTimeZone } from './locale';

/** Locales in canonical form with the default first; throws BAD_USER_INPUT naming the field. */
export function checkedLocales(
  locales: string[],
  defaultLocale: string | null | undefined,
): { locales: string[]; defaultLocale: string } {
  if (locales.length === 0 || locales.length > 50)
    throw new BadUserInputError('locales must list 1 to 50 languages.', { field: 'locales' });
  const canonical = locales.map((tag) => {
    const locale = canonicalLocale(tag.trim());
    if (!locale)
      throw new BadUserInputError(`locales: "${tag.slice(0, 40)}" is not a BCP 47 language tag.`, { field: 'locales' });
    return locale;
  });
  const unique = [...new Set(canonical)];
  const chosen = defaultLocale == null ? unique[0]! : canonicalLocale(defaultLocale.trim());
  if (!chosen || !unique.includes(chosen))
    throw new BadUserInputError('defaultLocale must be one of the locales.', { field: 'defaultLocale' });
  return { locales: [chosen, ...unique.filter((locale) => locale !== chosen)], defaultLocale: chosen };
}

export function checkedTimeZone(zone: string): string {
  const trimmed = zone.trim();
  if (!isTimeZone(trimmed))
    throw new BadUserInputError('defaultTimezone must be an IANA time zone such as Europe/Oslo.', { field: 'defaultTimezone' });
  return trimmed;
}
