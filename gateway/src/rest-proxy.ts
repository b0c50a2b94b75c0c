import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import {
  OPENAPI_DOCUMENT_PATH,
  REST_API_PREFIXES,
  REST_BODY_LIMIT_BYTES,
  restApiDocument,
  type ErrorCode,
  type SubgraphName,
} from '@messngr/contracts';
import { ASSERTION_HEADER, type AssertionSigner, type Caller } from '@messngr/kit/auth';
import { decodeCookieRequests, serializeSetCookie, SET_COOKIE_HEADER } from '@messngr/kit/http';
import { CORRELATION_HEADER, currentRequestContext, type Logger } from '@messngr/kit/logging';
import { FLOW_BINDING_PREFIX } from './issuer-proxy';

const METHODS = ['GET', 'POST', 'DELETE'];
/** Ids are `idn_…`, `dev_…`, `rmv_<base64url>`: a segment of anything else (`.`, `..`, `%2F`) names no resource. */
const SEGMENT = /^[A-Za-z0-9_-]{1,200}$/;
const MAX_QUERY_LENGTH = 2048;
/** The answer headers a client may see besides the content type; everything else stays inside. */
const PASSED_HEADERS = ['www-authenticate', 'retry-after'];
const SUBGRAPH_TIMEOUT_MS = 30_000;

export interface RestProxyOptions {
  subgraphUrls: Record<SubgraphName, string>;
  signer: AssertionSigner;
  /** The caller an `Authorization` header proves, exactly as for GraphQL; throws when it proves none. */
  authenticate: (authorization: string) => Promise<Caller>;
  origin: (req: Request) => Pick<Caller, 'clientIp' | 'userAgent'>;
  secureCookies: boolean;
  logger: Logger;
}

/**
 * The REST API beside GraphQL (`REST_API_PREFIXES`): each prefix goes on to the subgraph that
 * owns it, for signed-in callers only. The gateway checks the access token as GraphQL's door
 * does, signs an assertion for that subgraph (with the client's address and user agent), and
 * forwards method, path, query and a JSON body of at most 16 kB, nothing else of the client's
 * request; it passes back status, content type and body, and turns identity's cookie
 * requests into `Set-Cookie` for flow-binding cookies only, as the provider callback does.
 * Refusals of its own are in the routes' shape: `{ error: { code, message } }`.
 */
export function mountRestProxy(app: Express, options: RestProxyOptions): void {
  for (const { path, subgraph } of REST_API_PREFIXES) {
    app.use(
      path,
      noStore,
      refuseUnknownRequests,
      authenticated(options),
      express.raw({ type: () => true, limit: REST_BODY_LIMIT_BYTES }),
      forwardTo(subgraph, path, options),
      bodyErrors,
    );
  }
}

/** `GET /api/openapi.json`: the document of the REST API, public like the schema it describes. */
export function mountOpenApiDocument(app: Express): void {
  const document = JSON.stringify(restApiDocument());
  app.get(OPENAPI_DOCUMENT_PATH, (_req, res) => {
    res.setHeader('cache-control', 'public, max-age=300');
    res.type('application/json').send(document);
  });
}

function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('cache-control', 'no-store');
  next();
}

/** Only the API's methods, on paths made of plain segments, with a short query. */
function refuseUnknownRequests(req: Request, res: Response, next: NextFunction): void {
  if (!METHODS.includes(req.method)) {
    res.setHeader('allow', METHODS.join(', '));
    return refuse(res, 405, 'BAD_REQUEST', `${req.method} is not a method of this API.`);
  }
  const segments = req.path.split('/').filter(Boolean);
  const query = queryOf(req);
  if (!segments.every((segment) => SEGMENT.test(segment)) || query.length > MAX_QUERY_LENGTH) {
    return refuse(res, 404, 'NOT_FOUND', 'No such route.');
  }
  next();
}

function authenticated(options: RestProxyOptions) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const authorization = req.header('authorization');
    if (!authorization) {
      res.setHeader('www-authenticate', 'Bearer');
      return refuse(res, 401, 'UNAUTHENTICATED', 'An access token is required (Authorization: Bearer).');
    }
    try {
      res.locals['caller'] = { ...(await options.authenticate(authorization)), ...options.origin(req) } satisfies Caller;
    } catch (error) {
      options.logger.info({ reason: error instanceof Error ? error.message : 'invalid' }, 'refused an access token');
      res.setHeader('www-authenticate', 'Bearer error="invalid_token"');
      return refuse(res, 401, 'UNAUTHENTICATED', 'The access token is invalid or expired.');
    }
    next();
  };
}

function forwardTo(subgraph: SubgraphName, prefix: string, options: RestProxyOptions) {
  return async (req: Request, res: Response): Promise<void> => {
    const body = Buffer.isBuffer(req.body) && req.body.length > 0 ? req.body : undefined;
    if (body && req.is('application/json') === false) {
      return refuse(res, 415, 'BAD_REQUEST', 'The body must be JSON (content-type: application/json).');
    }
    const segments = req.path.split('/').filter(Boolean);
    const target = `${options.subgraphUrls[subgraph]}${prefix}${segments.map((segment) => `/${segment}`).join('')}${queryOf(req)}`;
    const correlationId = currentRequestContext()?.correlationId;
    let upstream: globalThis.Response;
    try {
      upstream = await fetch(target, {
        method: req.method,
        headers: {
          [ASSERTION_HEADER]: await options.signer.sign(res.locals['caller'] as Caller, subgraph),
          accept: 'application/json',
          ...(correlationId ? { [CORRELATION_HEADER]: correlationId } : {}),
          ...(body ? { 'content-type': req.header('content-type') ?? 'application/json' } : {}),
        },
        ...(body ? { body } : {}),
        redirect: 'manual',
        signal: AbortSignal.timeout(SUBGRAPH_TIMEOUT_MS),
      });
    } catch (error) {
      options.logger.error(
        { subgraph, reason: error instanceof Error ? error.message : 'unknown' },
        'a REST call found no subgraph',
      );
      return refuse(res, 502, 'INTERNAL_SERVER_ERROR', 'The service behind this route could not be reached.');
    }
    const answer = Buffer.from(await upstream.arrayBuffer());
    const contentType = upstream.headers.get('content-type') ?? '';
    if (!/^application\/json\b/.test(contentType)) {
      // Not an answer of the routes (a framework's page): the client still gets the REST shape.
      return upstream.status >= 500
        ? refuse(res, 502, 'INTERNAL_SERVER_ERROR', 'The service behind this route failed.')
        : refuse(res, upstream.status, upstream.status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST', 'No such route.');
    }
    for (const header of PASSED_HEADERS) {
      const value = upstream.headers.get(header);
      if (value) res.setHeader(header, value);
    }
    if (subgraph === 'identity') relayFlowBindingCookies(upstream.headers.get(SET_COOKIE_HEADER), res, options);
    res.status(upstream.status).setHeader('content-type', contentType);
    res.send(answer);
  };
}

/**
 * Identity's cookie requests as `Set-Cookie`, for cookies that bind an upstream flow to this
 * browser only (`mfl_…`, sent back to the tenant's provider callback alone): a REST client
 * never receives the session cookie, whatever a subgraph asks.
 */
function relayFlowBindingCookies(requested: string | null, res: Response, options: RestProxyOptions): void {
  if (!requested) return;
  try {
    for (const cookie of decodeCookieRequests(requested)) {
      if (cookie.name.startsWith(FLOW_BINDING_PREFIX) && cookie.callbackPath) {
        res.append('Set-Cookie', serializeSetCookie(cookie, { secure: options.secureCookies }));
      }
    }
  } catch (error) {
    options.logger.error({ subgraph: 'identity', reason: (error as Error).message }, 'refused a malformed cookie request');
  }
}

function bodyErrors(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  const type = typeof error === 'object' && error !== null ? (error as { type?: unknown }).type : undefined;
  if (type === 'entity.too.large') return refuse(res, 413, 'REQUEST_TOO_LARGE', 'The request body is too large.');
  if (type === 'encoding.unsupported' || type === 'request.aborted' || type === 'request.size.invalid') {
    return refuse(res, 400, 'BAD_REQUEST', 'The request body could not be read.');
  }
  next(error);
}

/** The raw query string, `?` included, or the empty string. */
function queryOf(req: Request): string {
  const at = req.originalUrl.indexOf('?');
  return at === -1 ? '' : req.originalUrl.slice(at);
}

function refuse(res: Response, status: number, code: ErrorCode, message: string): void {
  res.status(status).json({ error: { code, message } });
}
