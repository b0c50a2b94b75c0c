import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { rootCertificates } from 'node:tls';
import { createAddressRule } from './ip-ranges';

/**
 * A fetch-like client for URLs that tenant administrators configure (OIDC discovery,
 * JWKS, token and userinfo endpoints). It refuses to connect to private, loopback,
 * link-local and other special-purpose addresses (see ./ip-ranges) so that a tenant
 * cannot use the backend to probe the internal network (SSRF).
 *
 * Every failure rejects with an OutboundRequestError whose message is fixed per reason:
 * no response body, remote error text, resolved address or errno reaches it. Aborting
 * through `init.signal` rejects with reason 'TIMEOUT', like the policy's own deadline.
 */

export interface OutboundPolicy {
  /** Production: https only. Outside production plain http is allowed too (address rules still apply). */
  httpsOnly: boolean;
  /** CIDRs or bare IPs an operator allows even though they are private, loopback or link-local, e.g. ['127.0.0.0/8', '::1']. */
  allowedNetworks: string[];
  /** Whole request, connect to last body byte. Default 5000. */
  timeoutMs?: number;
  /** Response bodies are read whole up to this many bytes, declared or streamed; more is refused. Default 1 MiB. */
  maxResponseBytes?: number;
  /** Redirects followed only to the same origin (scheme, host, port), at most this many. Default 3. */
  maxRedirects?: number;
  /** Extra trusted CA certificates (PEM), e.g. a test server's self-signed certificate. */
  ca?: string | string[];
  /** DNS lookup, dns.lookup-compatible; injectable for unit tests. Default node:dns lookup. */
  lookup?: typeof dnsLookup;
}

/**
 * Request options. `body` also takes ArrayBuffer, ReadableStream (buffered before
 * sending) and null so that the function fits openid-client's `customFetch` type.
 */
export type OutboundRequestInit = {
  method?: string;
  headers?: Record<string, string> | Headers;
  body?: string | Uint8Array | URLSearchParams | ArrayBuffer | ReadableStream | null;
  signal?: AbortSignal;
  redirect?: 'follow' | 'manual' | 'error';
};

export type OutboundFetch = (url: string | URL, init?: OutboundRequestInit) => Promise<Response>;

export type OutboundFailure =
  'INVALID_URL' | 'INSECURE_SCHEME' | 'REFUSED_ADDRESS' | 'TIMEOUT' | 'TOO_LARGE' | 'REDIRECT_REFUSED' | 'NETWORK';

const MESSAGES: Record<OutboundFailure, string> = {
  INVALID_URL: 'Outbound request refused: the URL is not a valid http(s) URL.',
  INSECURE_SCHEME: 'Outbound request refused: only https URLs are allowed.',
  REFUSED_ADDRESS: 'Outbound request refused: the host is not at an allowed address.',
  TIMEOUT: 'Outbound request timed out or was aborted.',
  TOO_LARGE: 'Outbound response exceeds the size limit.',
  REDIRECT_REFUSED: 'Outbound request refused: the redirect is not allowed.',
  NETWORK: 'Outbound request failed.',
};

export class OutboundRequestError extends Error {
  override readonly name = 'OutboundRequestError';
  constructor(readonly reason: OutboundFailure) {
    super(MESSAGES[reason]);
  }
}

export const OUTBOUND_DEFAULTS = { timeoutMs: 5000, maxResponseBytes: 1024 * 1024, maxRedirects: 3 } as const;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const NULL_BODY_STATUSES = new Set([204, 205, 304]);
// Computed here or meaningless for a one-shot connection; accept-encoding is dropped so
// that bodies arrive unencoded (nothing here decompresses).
const DROPPED_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'accept-encoding']);

interface Prepared {
  method: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
}

interface Received {
  status: number;
  statusText: string;
  rawHeaders: string[];
  location: string | undefined;
  body: Buffer | null;
}

export function createOutboundFetch(policy: OutboundPolicy): OutboundFetch {
  const isAllowed = createAddressRule(policy.allowedNetworks);
  const timeoutMs = positiveInteger('timeoutMs', policy.timeoutMs ?? OUTBOUND_DEFAULTS.timeoutMs);
  const maxBytes = positiveInteger('maxResponseBytes', policy.maxResponseBytes ?? OUTBOUND_DEFAULTS.maxResponseBytes);
  const maxRedirects = positiveInteger('maxRedirects', policy.maxRedirects ?? OUTBOUND_DEFAULTS.maxRedirects, 0);
  const extraCa = policy.ca === undefined ? [] : [policy.ca].flat();
  // Passing `ca` replaces Node's trust store, so keep the bundled roots beside the extras.
  const ca = extraCa.length > 0 ? [...rootCertificates, ...extraCa] : undefined;
  const resolve = policy.lookup ?? dnsLookup;

  function target(input: string | URL): URL {
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      throw new OutboundRequestError('INVALID_URL');
    }
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) {
      throw new OutboundRequestError('INVALID_URL');
    }
    if (policy.httpsOnly && url.protocol !== 'https:') throw new OutboundRequestError('INSECURE_SCHEME');
    // Node skips `lookup` for IP-literal hosts (by the same net.isIP test), so literals
    // are checked here. WHATWG URL has already normalised forms such as 0x7f000001.
    const host = bareHost(url);
    if (isIP(host) !== 0 && !isAllowed(host)) throw new OutboundRequestError('REFUSED_ADDRESS');
    return url;
  }

  /**
   * The connection's own DNS lookup. Node connects to exactly the addresses this returns,
   * so checking here leaves no gap between the check and the connect (a separate
   * resolve-then-connect could be answered differently the second time: DNS rebinding).
   * All addresses are resolved and one bad address refuses the name.
   */
  function guardedLookup(refused: { value: boolean }): LookupFunction {
    return (hostname, options: LookupOptions, callback) => {
      const reply = callback as (error: Error | null, address: string | LookupAddress[], family?: number) => void;
      const all = { family: options.family, hints: options.hints, all: true } as const;
      resolve(hostname, all, (error: NodeJS.ErrnoException | null, found: LookupAddress[] | string, family?: number) => {
        const addresses = typeof found === 'string' ? [{ address: found, family: family ?? 0 }] : (found ?? []);
        const [first] = addresses;
        if (error || !first) return reply(error ?? new OutboundRequestError('NETWORK'), '');
        if (!addresses.every(({ address }) => isAllowed(address))) {
          refused.value = true;
          return reply(new OutboundRequestError('REFUSED_ADDRESS'), '');
        }
        if (options.all) reply(null, addresses);
        else reply(null, first.address, first.family);
      });
    };
  }

  function send(url: URL, request: Prepared, signal: AbortSignal, skipBody: (status: number, location?: string) => boolean) {
    return new Promise<Received>((resolvePromise, reject) => {
      const refused = { value: false };
      let settled = false;
      const settle = (outcome: Received | OutboundFailure) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        if (typeof outcome === 'string') {
          req.destroy();
          reject(new OutboundRequestError(outcome));
        } else resolvePromise(outcome);
      };
      const onAbort = () => settle('TIMEOUT');
      const req = (url.protocol === 'https:' ? https : http).request({
        protocol: url.protocol,
        hostname: bareHost(url),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers: request.headers,
        agent: false,
        lookup: guardedLookup(refused),
        ...(url.protocol === 'https:' && ca ? { ca } : {}),
      });
      signal.addEventListener('abort', onAbort, { once: true });
      req.on('error', () => settle(refused.value ? 'REFUSED_ADDRESS' : 'NETWORK'));
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        const { location } = res.headers;
        const head = { status, statusText: res.statusMessage ?? '', rawHeaders: res.rawHeaders, location };
        if (request.method === 'HEAD' || NULL_BODY_STATUSES.has(status) || skipBody(status, location)) {
          res.destroy();
          return settle({ ...head, body: null });
        }
        if (Number(res.headers['content-length'] ?? 0) > maxBytes) return settle('TOO_LARGE');
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) settle('TOO_LARGE');
          else chunks.push(chunk);
        });
        res.on('end', () => settle({ ...head, body: Buffer.concat(chunks) }));
        res.on('error', () => settle('NETWORK'));
        res.on('close', () => settle(res.complete ? { ...head, body: Buffer.concat(chunks) } : 'NETWORK'));
      });
      req.end(request.body);
    });
  }

  return async function outboundFetch(input, init = {}) {
    const mode = init.redirect ?? 'follow';
    let url = target(input);
    let request = await prepare(init);
    const deadline = new AbortController();
    const abort = () => deadline.abort();
    const timer = setTimeout(abort, timeoutMs);
    init.signal?.addEventListener('abort', abort, { once: true });
    if (init.signal?.aborted) abort();
    try {
      for (let redirects = 0; ; redirects += 1) {
        if (deadline.signal.aborted) throw new OutboundRequestError('TIMEOUT');
        const received = await send(url, request, deadline.signal, (status, location) =>
          mode === 'error' ? isRedirection(status) : mode === 'follow' && follows(status, location),
        );
        const { status, location } = received;
        if (mode === 'error' && isRedirection(status)) throw new OutboundRequestError('REDIRECT_REFUSED');
        if (mode === 'manual' || !follows(status, location)) return toResponse(received, url);
        const next = resolveLocation(location ?? '', url);
        if (!next || next.origin !== url.origin || redirects >= maxRedirects) {
          throw new OutboundRequestError('REDIRECT_REFUSED');
        }
        url = target(next);
        request = redirected(request, status);
      }
    } finally {
      clearTimeout(timer);
      init.signal?.removeEventListener('abort', abort);
    }
  };
}

const isRedirection = (status: number) => status >= 300 && status < 400;
/** A status and Location that 'follow' acts on; other 3xx responses are returned as they are. */
const follows = (status: number, location: string | undefined) => REDIRECT_STATUSES.has(status) && location !== undefined;

function positiveInteger(name: string, value: number, min = 1): number {
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`OutboundPolicy.${name} must be an integer >= ${min}`);
  return value;
}

/** The URL's host without IPv6 brackets, as node:net expects it. */
function bareHost(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

function resolveLocation(location: string, base: URL): URL | undefined {
  try {
    return new URL(location, base);
  } catch {
    return undefined;
  }
}

async function prepare(init: OutboundRequestInit): Promise<Prepared> {
  const method = (init.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, name) => {
    if (!DROPPED_HEADERS.has(name)) headers[name] = value;
  });
  const { body } = init;
  let bytes: Buffer | undefined;
  let contentType: string | undefined;
  if (typeof body === 'string') {
    bytes = Buffer.from(body, 'utf8');
    contentType = 'text/plain;charset=UTF-8';
  } else if (body instanceof URLSearchParams) {
    bytes = Buffer.from(body.toString(), 'utf8');
    contentType = 'application/x-www-form-urlencoded;charset=UTF-8';
  } else if (ArrayBuffer.isView(body)) {
    // isView, not instanceof: a Buffer or array from another realm (jest, vm) passes too.
    bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  } else if (body) {
    // ArrayBuffer or ReadableStream: let Response read it.
    bytes = Buffer.from(await new Response(body).arrayBuffer());
  }
  if (bytes) {
    headers['content-length'] = String(bytes.length);
    if (contentType && headers['content-type'] === undefined) headers['content-type'] = contentType;
  }
  return { method, headers, body: bytes };
}

/** Per fetch: 303, and 301/302 after POST, continue as a GET without the body. */
function redirected(request: Prepared, status: number): Prepared {
  const toGet =
    (status === 303 && request.method !== 'HEAD') || ((status === 301 || status === 302) && request.method === 'POST');
  if (!toGet) return request;
  const headers = { ...request.headers };
  for (const name of ['content-length', 'content-type', 'content-encoding', 'content-language', 'content-location']) {
    delete headers[name];
  }
  return { method: 'GET', headers, body: undefined };
}

function toResponse(received: Received, url: URL): Response {
  const headers = new Headers();
  for (let i = 0; i + 1 < received.rawHeaders.length; i += 2) {
    try {
      headers.append(received.rawHeaders[i]!, received.rawHeaders[i + 1]!);
    } catch {
      // A header the WHATWG Headers class refuses is dropped, not fatal.
    }
  }
  let response: Response;
  try {
    response = new Response(received.body, { status: received.status, statusText: received.statusText, headers });
  } catch {
    // Status outside 200-599 or a status text Response refuses.
    throw new OutboundRequestError('NETWORK');
  }
  Object.defineProperty(response, 'url', { value: url.href });
  return response;
}
