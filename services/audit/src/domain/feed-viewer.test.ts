import { feedLanguageOf, feedViewer, localTime, relativeTime } from './feed-viewer';

const NOW = new Date('2026-12-02T13:00:00.000Z');
const TWO_DAYS_AGO = new Date('2026-11-30T12:59:00.000Z');

describe('the viewer a feed is written for', () => {
  it('reads Norwegian for nb, no and nn, English for everything else', () => {
    expect(['nb', 'nb-NO', 'no', 'nn-NO', 'NB_no'].map(feedLanguageOf)).toEqual(['nb', 'nb', 'nb', 'nb', 'nb']);
    expect(['en', 'en-GB', 'de', 'sv-SE'].map(feedLanguageOf)).toEqual(['en', 'en', 'en', 'en']);
  });

  it("takes the account's own locale and zone, a locale argument over it, and English/UTC when unknown or unusable", () => {
    expect(feedViewer({ preferredLocale: 'nb-NO', timeZone: 'Europe/Oslo' })).toEqual({
      language: 'nb',
      locale: 'nb-NO',
      timeZone: 'Europe/Oslo',
    });
    expect(feedViewer({ preferredLocale: 'nb-NO', timeZone: 'Europe/Oslo' }, 'en')).toMatchObject({
      language: 'en',
      timeZone: 'Europe/Oslo',
    });
    expect(feedViewer(null)).toEqual({ language: 'en', locale: 'en', timeZone: 'UTC' });
    expect(feedViewer({ preferredLocale: '!!', timeZone: 'Mars/Olympus' })).toEqual({
      language: 'en',
      locale: 'en',
      timeZone: 'UTC',
    });
  });

  it('says how long ago in the viewer’s language', () => {
    expect(relativeTime(TWO_DAYS_AGO, NOW, feedViewer({ preferredLocale: 'en' }))).toBe('2 days ago');
    expect(relativeTime(TWO_DAYS_AGO, NOW, feedViewer({ preferredLocale: 'nb' }))).toMatch(/^for 2 (døgn|dager) siden$/);
    expect(relativeTime(new Date(NOW.getTime() - 5 * 60_000), NOW, feedViewer(null))).toBe('5 minutes ago');
    expect(relativeTime(NOW, NOW, feedViewer(null))).toBe('now');
  });

  it('shows the instant on the viewer’s clock, naming the zone', () => {
    const oslo = localTime(TWO_DAYS_AGO, feedViewer({ preferredLocale: 'nb-NO', timeZone: 'Europe/Oslo' }));
    expect(oslo).toContain('13:59');
    expect(oslo).toContain('30.');
    const newYork = localTime(TWO_DAYS_AGO, feedViewer({ preferredLocale: 'en-US', timeZone: 'America/New_York' }));
    expect(newYork).toMatch(/Nov 30, 2026, 7:59\sAM EST/);
    expect(localTime(TWO_DAYS_AGO, feedViewer(null))).toMatch(/12:59.*UTC/);
  });
});
