/** One DNS label as a hosted domain carries it: LDH (letters, digits, inner hyphens), 1 to 63 characters. */
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const MAX_DOMAIN_LENGTH = 253;

/** A hosted domain as stored: trimmed and lower-cased; empty means none. */
export function normalizedHostedDomain(domain: string | null): string | null {
  return domain?.trim().toLowerCase() || null;
}

/**
 * The rule for `requiredHostedDomain`: the domain a Google Workspace puts in its ID tokens'
 * `hd` claim, which the identity subgraph compares exactly. So it must be a DNS name as `hd`
 * writes one (RFC 1035 §2.3.1 labels, A-labels `xn--…` for international names, at most 253
 * characters, no trailing dot) with at least two labels, and not an IP address. Returns what
 * is wrong, or undefined; expects the normalized form.
 */
export function hostedDomainProblem(domain: string): string | undefined {
  if (domain.length > MAX_DOMAIN_LENGTH) return `must be at most ${MAX_DOMAIN_LENGTH} characters`;
  const labels = domain.split('.');
  if (labels.some((label) => !LABEL.test(label))) {
    return 'must be a DNS name: labels of letters, digits and inner hyphens (xn-- for international names), no trailing dot';
  }
  if (labels.length < 2) return 'must be a domain name such as example.com';
  if (/^[0-9]+$/.test(labels.at(-1)!)) return 'must be a domain name, not an IP address';
  return undefined;
}
