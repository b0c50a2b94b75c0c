interface StoredCookie {
  name: string;
  value: string;
  path: string;
  expiresAt: number;
}

/**
 * A browser's cookies, enough for one provider's sign-in: host-only per origin, matched by path,
 * expired by `Max-Age` or `Expires`. `Domain` and `Secure` are ignored (everything is loopback).
 */
export class CookieJar {
  private readonly byOrigin = new Map<string, StoredCookie[]>();

  /** Takes every `set-cookie` of a response to a request for `url`. */
  store(url: URL, response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const cookie = parseSetCookie(header, url);
      if (!cookie) continue;
      const others = (this.byOrigin.get(url.origin) ?? []).filter((c) => c.name !== cookie.name || c.path !== cookie.path);
      this.byOrigin.set(url.origin, cookie.expiresAt > Date.now() ? [...others, cookie] : others);
    }
  }

  /** The `cookie` header a browser would send with a request for `url`, if any. */
  header(url: URL): string | undefined {
    const now = Date.now();
    const matching = (this.byOrigin.get(url.origin) ?? [])
      .filter((cookie) => cookie.expiresAt > now && pathMatches(url.pathname, cookie.path))
      // Longer paths first, as RFC 6265 orders them.
      .sort((a, b) => b.path.length - a.path.length);
    return matching.length ? matching.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ') : undefined;
  }
}

function parseSetCookie(header: string, url: URL): StoredCookie | undefined {
  const [pair = '', ...attributes] = header.split(';');
  const separator = pair.indexOf('=');
  if (separator <= 0) return undefined;
  const cookie: StoredCookie = {
    name: pair.slice(0, separator).trim(),
    value: pair.slice(separator + 1).trim(),
    path: defaultPath(url.pathname),
    expiresAt: Number.POSITIVE_INFINITY,
  };
  let maxAge: number | undefined;
  for (const attribute of attributes) {
    const [key = '', ...rest] = attribute.split('=');
    const value = rest.join('=').trim();
    switch (key.trim().toLowerCase()) {
      case 'path':
        if (value.startsWith('/')) cookie.path = value;
        break;
      case 'expires': {
        const at = Date.parse(value);
        if (!Number.isNaN(at)) cookie.expiresAt = at;
        break;
      }
      case 'max-age':
        if (/^-?\d+$/.test(value)) maxAge = Number(value);
        break;
    }
  }
  // Max-Age wins over Expires.
  if (maxAge !== undefined) cookie.expiresAt = maxAge <= 0 ? 0 : Date.now() + maxAge * 1000;
  return cookie;
}

function defaultPath(requestPath: string): string {
  const lastSlash = requestPath.lastIndexOf('/');
  return lastSlash <= 0 ? '/' : requestPath.slice(0, lastSlash);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}
