import type { IncomingMessage } from 'node:http';

/** A client registered at one of the crafted test servers. */
export interface RegisteredClient {
  clientId: string;
  clientSecret: string;
  /** Compared exactly, as OAuth 2.1 wants. */
  redirectUris: string[];
}

/** Client credentials from HTTP Basic (`client_secret_basic`) or else from the body (`client_secret_post`). */
export function clientCredentials(
  request: IncomingMessage,
  parameters: URLSearchParams,
): { clientId: string | undefined; clientSecret: string | undefined; method: 'basic' | 'post' } {
  const basic = /^Basic (.+)$/i.exec(request.headers.authorization ?? '');
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const separator = decoded.indexOf(':');
    // RFC 6749 §2.3.1: both halves are form-urlencoded.
    const unescape = (part: string) => decodeURIComponent(part.replaceAll('+', ' '));
    return separator < 0
      ? { clientId: undefined, clientSecret: undefined, method: 'basic' }
      : {
          clientId: unescape(decoded.slice(0, separator)),
          clientSecret: unescape(decoded.slice(separator + 1)),
          method: 'basic',
        };
  }
  return {
    clientId: parameters.get('client_id') ?? undefined,
    clientSecret: parameters.get('client_secret') ?? undefined,
    method: 'post',
  };
}
