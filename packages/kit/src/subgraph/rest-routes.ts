import type { NextFunction, Request, Response } from 'express';
import type { ErrorCode } from '@messngr/contracts';
import type { Caller } from '../auth/assertion';
import { requireAuthenticated, requireSignedIn, type AuthenticatedCaller } from '../auth/authorization';
import { DomainError } from '../errors/errors';
import { SET_COOKIE_HEADER } from '../http/cookie-relay';
import type { Logger } from '../logging/logger';

/**
 * What the subgraphs' REST routes (beside GraphQL, behind `guards.gatewayOnly`) share: the
 * caller the gateway vouched for, answers and refusals in one JSON shape
 * (`{ error: { code, message, ...details } }` with GraphQL's codes and statuses), and body errors.
 */

export interface RestAnswer {
  status: 200 | 202;
  body: unknown;
}

export const restOk = (body: unknown): RestAnswer => ({ status: 200, body });
export const restAccepted = (body: unknown): RestAnswer => ({ status: 202, body });

/** The signed-in caller; UNAUTHENTICATED otherwise, and RESTRICTED_SESSION for a recovery session unless allowed. */
export function restCaller(res: Response, options: { allowRestricted?: boolean } = {}): AuthenticatedCaller {
  const caller: Caller = res.locals['caller'] ?? { roles: [] };
  return options.allowRestricted ? requireSignedIn(caller) : requireAuthenticated(caller);
}

/** Middleware refusing an anonymous caller before its body is read. */
export function refuseAnonymous(_req: Request, res: Response, next: NextFunction): void {
  try {
    requireSignedIn(res.locals['caller'] ?? { roles: [] });
  } catch (error) {
    return respondWithRestError(res, error as DomainError);
  }
  next();
}

/** Runs the work and answers with its result, or its refusal; anything unexpected is logged (never the request) and masked. */
export function restAnswerer(logger: Logger, what: string) {
  return async (res: Response, work: () => Promise<RestAnswer>): Promise<void> => {
    try {
      const { status, body } = await work();
      res.status(status).json(body);
    } catch (error) {
      if (error instanceof DomainError) return respondWithRestError(res, error);
      logger.error({ err: error }, `unexpected error in ${what}`);
      refuseRest(res, 500, 'INTERNAL_SERVER_ERROR', 'Something went wrong.');
    }
  };
}

/** A domain refusal with its status; its details (`field`, `retryAfterSeconds`, ...) beside the code, as GraphQL's extensions. */
export function respondWithRestError(res: Response, error: DomainError): void {
  // Nothing a refused request asked for is set.
  res.removeHeader(SET_COOKIE_HEADER);
  if (error.code === 'UNAUTHENTICATED') res.setHeader('www-authenticate', 'Bearer');
  const retryAfter = error.details?.['retryAfterSeconds'];
  if (typeof retryAfter === 'number') res.setHeader('retry-after', String(retryAfter));
  res.status(error.httpStatus).json({ error: { ...(error.details ?? {}), code: error.code, message: error.message } });
}

export function refuseRest(res: Response, status: number, code: ErrorCode, message: string): void {
  res.status(status).json({ error: { code, message } });
}

/** The JSON body parser's refusals in the same shape: too large (413), not JSON (400). */
export function restBodyErrors() {
  return (error: unknown, _req: Request, res: Response, next: NextFunction): void => {
    const type = typeof error === 'object' && error !== null ? (error as { type?: unknown }).type : undefined;
    if (type === 'entity.too.large') return refuseRest(res, 413, 'REQUEST_TOO_LARGE', 'The request body is too large.');
    if (type === 'entity.parse.failed' || type === 'encoding.unsupported' || type === 'charset.unsupported') {
      return refuseRest(res, 400, 'BAD_REQUEST', 'The request body is not valid JSON.');
    }
    next(error);
  };
}
