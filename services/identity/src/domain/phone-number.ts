import { parsePhoneNumberWithError } from 'libphonenumber-js/max';
import type { NormalizedIdentifier } from './email-address';

/**
 * Phone numbers as identities: E.164 (`+4791234567`), checked to be a valid number for its
 * country (libphonenumber's full metadata). Numbers without a country code are refused:
 * a tenant serves users in many countries.
 */
export function normalizePhone(raw: string): NormalizedIdentifier | undefined {
  try {
    const number = parsePhoneNumberWithError(raw.trim());
    if (!number.isValid()) return undefined;
    return { value: number.number, masked: maskPhone(number.countryCallingCode, number.number) };
  } catch {
    return undefined;
  }
}

/** `+4791234567` → `+47 ••• •• 567`: the country calling code (1 to 3 digits) and the last three digits. */
export function maskPhone(countryCallingCode: string, e164: string): string {
  return `+${countryCallingCode} ••• •• ${e164.slice(-3)}`;
}
