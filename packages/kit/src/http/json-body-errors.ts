import type { NextFunction, Request, Response } from 'express';

/**
 * The JSON body parser's refusals (too large, not JSON) as GraphQL-shaped errors with a code,
 * instead of Express's HTML error page. Mount after the routes that parse JSON.
 */
export function jsonBodyErrors() {
  return (error: unknown, _req: Request, res: Response, next: NextFunction): void => {
    const type = typeof error === 'object' && error !== null ? (error as { type?: unknown }).type : undefined;
    if (type === 'entity.too.large') {
      res.status(413).json({ errors: [{ message: 'The request body is too large.', extensions: { code: 'REQUEST_TOO_LARGE' } }] });
      return;
    }
    if (type === 'entity.parse.failed' || type === 'encoding.unsupported' || type === 'charset.unsupported') {
      res.status(400).json({ errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
      return;
    }
    next(error);
  };
}
