import { isIPv4 } from 'node:net';

/**
 * The rule for a provider URL as configured: https always; plain http only for loopback
 * hosts (127.0.0.0/8, ::1, localhost), and only outside production. Where the name then
 * resolves to is checked on every request by the kit's guarded outbound fetch.
 */
export function isAllowedProviderUrl(url: string, allowInsecureLoopback: boolean): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'https:') return true;
  return parsed.protocol === 'http:' && allowInsecureLoopback && isLoopbackHost(parsed.hostname);
}

// URL has already normalized the host: IPv4 to dotted quads (127.1 → 127.0.0.1), IPv6 in brackets, names lower-cased.
function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]') return true;
  return isIPv4(hostname) && hostname.startsWith('127.');
}
