import type { FeedLanguage } from './activity-sentences';

/** Who reads a feed, as far as writing it goes: the language of its sentences and the zone of its clock. */
export interface FeedViewer {
  language: FeedLanguage;
  /** The BCP 47 locale dates and relative times are formatted in (`nb-NO`, `en`). */
  locale: string;
  timeZone: string;
}

export const DEFAULT_FEED_VIEWER: FeedViewer = { language: 'en', locale: 'en', timeZone: 'UTC' };

/** Norwegian (Bokmål, or the macrolanguage `no`, or Nynorsk for want of its own sentences) reads nb; everyone else English. */
export function feedLanguageOf(locale: string): FeedLanguage {
  const primary = locale.toLowerCase().split(/[-_]/)[0];
  return primary === 'nb' || primary === 'no' || primary === 'nn' ? 'nb' : 'en';
}

/**
 * The viewer from their own settings (an explicit `locale` overrides theirs); an unknown locale
 * or zone falls back to English and UTC rather than failing the feed.
 */
export function feedViewer(
  settings: { preferredLocale?: string | null; timeZone?: string | null } | null,
  locale?: string | null,
): FeedViewer {
  const wanted = supportedLocale(locale) ?? supportedLocale(settings?.preferredLocale) ?? DEFAULT_FEED_VIEWER.locale;
  const timeZone = supportedTimeZone(settings?.timeZone) ?? DEFAULT_FEED_VIEWER.timeZone;
  return { language: feedLanguageOf(wanted), locale: wanted, timeZone };
}

function supportedLocale(locale: string | null | undefined): string | null {
  if (!locale) return null;
  try {
    return Intl.getCanonicalLocales(locale.replace(/_/g, '-'))[0] ?? null;
  } catch {
    return null;
  }
}

function supportedTimeZone(timeZone: string | null | undefined): string | null {
  if (!timeZone) return null;
  try {
    return new Intl.DateTimeFormat('en', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "2 days ago", "for 2 døgn siden" (as ICU words it), "now": the largest whole unit between `time` and `now`. */
export function relativeTime(time: Date, now: Date, viewer: FeedViewer): string {
  const seconds = Math.round((time.getTime() - now.getTime()) / 1000);
  if (Math.abs(seconds) < 1) return new Intl.RelativeTimeFormat(viewer.locale, { numeric: 'auto' }).format(0, 'second');
  const format = new Intl.RelativeTimeFormat(viewer.locale, { numeric: 'always' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') return format.format(Math.trunc(seconds / size), unit);
  }
  return format.format(0, 'second');
}

/** The instant as the viewer's clock shows it, with the zone named: "2 Dec 2026, 14:17 CET". */
export function localTime(time: Date, viewer: FeedViewer): string {
  return (
    new Intl.DateTimeFormat(viewer.locale, {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: viewer.timeZone,
    }).format(time) + ` ${zoneName(time, viewer)}`
  );
}

function zoneName(time: Date, viewer: FeedViewer): string {
  const part = new Intl.DateTimeFormat(viewer.locale, { timeZone: viewer.timeZone, timeZoneName: 'short' })
    .formatToParts(time)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? viewer.timeZone;
}
