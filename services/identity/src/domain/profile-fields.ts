/** A BCP 47 language tag in its canonical form (`nb-no` → `nb-NO`), or undefined when it is not one. */
export function canonicalLocale(tag: string): string | undefined {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag.trim());
    return canonical && canonical.length <= 35 ? canonical : undefined;
  } catch {
    return undefined;
  }
}

const TIME_ZONES = new Set(Intl.supportedValuesOf('timeZone'));

/** An IANA time zone (`Europe/Oslo`), or undefined. `UTC` is accepted too. */
export function knownTimeZone(zone: string): string | undefined {
  const trimmed = zone.trim();
  return trimmed === 'UTC' || TIME_ZONES.has(trimmed) ? trimmed : undefined;
}
