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
    return { value: number.number, masked: maskPhone(number.number) };
  } catch {
    return undefined;
  }
}

/** `+4791234567` → `+47 ••• •• 567`: the country code and the last three digits. */
export function maskPhone(e164: string): string {
  return `${e164.slice(0, 3)} ••• •• ${e164.slice(-3)}`;
}
