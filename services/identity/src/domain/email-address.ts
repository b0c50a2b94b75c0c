/** Email addresses as identities: compared lower-cased and trimmed, shown masked. */
export interface NormalizedIdentifier {
  /** The form compared and stored as the identity's value. */
  value: string;
  /** The form shown to other people: never the whole address or number. */
  masked: string;
}

// Deliberately plain (RFC 5321 lengths, one @, a dot in the domain, no spaces): the code sent is the real check.
const EMAIL = /^[^\s@]{1,64}@[^\s@.]+(\.[^\s@.]+)+$/;

/** The address lower-cased and trimmed, or undefined when it cannot be one. */
export function normalizeEmail(raw: string): NormalizedIdentifier | undefined {
  const value = raw.trim().toLowerCase().normalize('NFC');
  if (value.length > 254 || !EMAIL.test(value)) return undefined;
  return { value, masked: maskEmail(value) };
}

/** `kari.nordmann@example.com` → `k***@example.com`. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  return `${address.slice(0, 1)}***${address.slice(at)}`;
}
