import { checkedLocales, checkedTimeZone } from './tenant-locales';

describe('tenant locales and time zone', () => {
  it('canonicalizes BCP 47 tags and puts the default first', () => {
    expect(checkedLocales(['en', 'nb-no'], 'nb-NO')).toEqual({ locales: ['nb-NO', 'en'], defaultLocale: 'nb-NO' });
    expect(checkedLocales(['sv', 'sv'], null)).toEqual({ locales: ['sv'], defaultLocale: 'sv' });
  });

  it.each([[['xx_YY!']], [['english']], [[]]])('refuses %j', (locales) => {
    expect(() => checkedLocales(locales, null)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', details: { field: 'locales' } }),
    );
  });

  it('refuses a default locale that is not offered', () => {
    expect(() => checkedLocales(['en'], 'de')).toThrow(expect.objectContaining({ details: { field: 'defaultLocale' } }));
  });

  it('accepts IANA zones and refuses others', () => {
    expect(checkedTimeZone('Europe/Oslo')).toBe('Europe/Oslo');
    expect(checkedTimeZone('UTC')).toBe('UTC');
    expect(() => checkedTimeZone('Mars/Olympus')).toThrow(expect.objectContaining({ details: { field: 'defaultTimezone' } }));
  });
});
