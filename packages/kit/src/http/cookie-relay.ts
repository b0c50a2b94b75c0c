/**
 * Browsers talk only to the gateway, so only the gateway sets and reads cookies. A subgraph
 * that owns a cookie (identity, for web sessions' refresh tokens) receives the client's
 * cookies in FORWARDED_COOKIE_HEADER and asks for a cookie with SET_COOKIE_HEADER; the
 * gateway checks the request and writes `Set-Cookie` with attributes no subgraph can weaken:
 * HttpOnly, SameSite=Strict, Path=/graphql, Secure outside loopback development.
 *
 * One other kind exists: a cookie that binds an upstream sign-in or link flow to the browser
 * that started it, read back only by the tenant's provider callback (`callbackPath`). It is
 * SameSite=Lax, because the provider's redirect back is a cross-site top-level navigation.
 */
export const FORWARDED_COOKIE_HEADER = 'x-messngr-forwarded-cookie';
export const SET_COOKIE_HEADER = 'x-messngr-set-cookie';

export interface CookieRequest {
  name: string;
  /** The value; the empty string with `maxAgeSeconds: 0` deletes the cookie. */
  value: string;
  /** A host name to share the cookie with its subdomains; null for the gateway's host only. */
  domain: string | null;
  maxAgeSeconds: number;
  /** Only for flow-binding cookies: `/t/<slug>/callback`, the one path the cookie is sent to. */
  callbackPath?: string;
}

const CALLBACK_PATH = /^\/t\/[a-z0-9][a-z0-9-]{0,62}\/callback$/;
const COOKIE_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const COOKIE_VALUE = /^[A-Za-z0-9._~-]{0,1024}$/;
const HOST_NAME = /^(?=.{1,253}$)\.?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const MAX_AGE_LIMIT = 400 * 24 * 3600;

export class InvalidCookieRequest extends Error {}

/** Throws InvalidCookieRequest for anything that would not be a plain, well-formed cookie. */
export function checkedCookieRequest(request: CookieRequest): CookieRequest {
  if (!COOKIE_NAME.test(request.name)) throw new InvalidCookieRequest('cookie name');
  if (!COOKIE_VALUE.test(request.value)) throw new InvalidCookieRequest('cookie value');
  if (request.domain !== null && !HOST_NAME.test(request.domain)) throw new InvalidCookieRequest('cookie domain');
  if (!Number.isInteger(request.maxAgeSeconds) || request.maxAgeSeconds < 0 || request.maxAgeSeconds > MAX_AGE_LIMIT) {
    throw new InvalidCookieRequest('cookie max age');
  }
  if (request.callbackPath === undefined) {
    return { name: request.name, value: request.value, domain: request.domain, maxAgeSeconds: request.maxAgeSeconds };
  }
  if (!CALLBACK_PATH.test(request.callbackPath) || request.domain !== null) throw new InvalidCookieRequest('callback path');
  return {
    name: request.name,
    value: request.value,
    domain: null,
    maxAgeSeconds: request.maxAgeSeconds,
    callbackPath: request.callbackPath,
  };
}

export function encodeCookieRequests(requests: readonly CookieRequest[]): string {
  return Buffer.from(JSON.stringify(requests.map(checkedCookieRequest))).toString('base64url');
}

export function decodeCookieRequests(header: string): CookieRequest[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCookieRequest('not an encoded list');
  }
  if (!Array.isArray(parsed) || parsed.length > 4) throw new InvalidCookieRequest('not a short list');
  return parsed.map((entry: unknown) => {
    if (!entry || typeof entry !== 'object') throw new InvalidCookieRequest('not an object');
    const { name, value, domain, maxAgeSeconds, callbackPath } = entry as Record<string, unknown>;
    if (typeof name !== 'string' || typeof value !== 'string' || typeof maxAgeSeconds !== 'number') {
      throw new InvalidCookieRequest('missing fields');
    }
    if (domain !== null && typeof domain !== 'string') throw new InvalidCookieRequest('cookie domain');
    if (callbackPath !== undefined && typeof callbackPath !== 'string') throw new InvalidCookieRequest('callback path');
    return checkedCookieRequest({ name, value, domain, maxAgeSeconds, ...(callbackPath === undefined ? {} : { callbackPath }) });
  });
}

export function serializeSetCookie(request: CookieRequest, options: { secure: boolean }): string {
  const checked = checkedCookieRequest(request);
  return [
    `${checked.name}=${checked.value}`,
    `Path=${checked.callbackPath ?? '/graphql'}`,
    `Max-Age=${checked.maxAgeSeconds}`,
    ...(checked.domain ? [`Domain=${checked.domain}`] : []),
    'HttpOnly',
    checked.callbackPath ? 'SameSite=Lax' : 'SameSite=Strict',
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

/** `a=1; b=2` → Map { a → 1, b → 2 }; the first of repeated names wins, malformed pairs are skipped. */
export function parseCookieHeader(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const pair of (header ?? '').slice(0, 8192).split(';')) {
    const separator = pair.indexOf('=');
    if (separator <= 0) continue;
    const name = pair.slice(0, separator).trim();
    const value = pair
      .slice(separator + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (COOKIE_NAME.test(name) && !cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}
