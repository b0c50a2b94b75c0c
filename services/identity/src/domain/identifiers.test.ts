import { normalizeEmail } from './email-address';
import { normalizePhone } from './phone-number';
import { canonicalLocale, knownTimeZone } from './profile-fields';

describe('identifiers and profile fields', () => {
  it('lower-cases and trims email addresses and masks them', () => {
    expect(normalizeEmail('  Kari.Nordmann@Example.COM ')).toEqual({ value: 'kari.nordmann@example.com', masked: 'k***@example.com' });
    for (const bad of ['kari', 'kari@', '@example.com', 'kari@example', 'ka ri@example.com', `${'a'.repeat(65)}@example.com`]) {
      expect(normalizeEmail(bad)).toBeUndefined();
    }
  });

  it('writes phone numbers in E.164 and refuses numbers that are not valid for their country', () => {
    expect(normalizePhone('+47 912 34 567')).toEqual({ value: '+4791234567', masked: '+47 ••• •• 567' });
    // The whole calling code, however long: one digit for North America, three for Finland.
    expect(normalizePhone('+1 415 555 2671')?.masked).toBe('+1 ••• •• 671');
    expect(normalizePhone('+358 40 123 4567')?.masked).toBe('+358 ••• •• 567');
    expect(normalizePhone('+1 (202) 555-0142')?.value).toBe('+12025550142');
    for (const bad of ['912 34 567', '+47 12', 'call me', '+999 1234567']) expect(normalizePhone(bad)).toBeUndefined();
  });

  it('accepts BCP 47 tags in canonical form and IANA time zones', () => {
    expect(canonicalLocale('nb-no')).toBe('nb-NO');
    expect(canonicalLocale('en')).toBe('en');
    expect(canonicalLocale('not a locale')).toBeUndefined();
    expect(knownTimeZone('Europe/Oslo')).toBe('Europe/Oslo');
    expect(knownTimeZone('UTC')).toBe('UTC');
    expect(knownTimeZone('Mars/Olympus_Mons')).toBeUndefined();
  });
});
