import type { NextFunction, Request, Response } from 'express';
import { tokenLimitProblem } from './request-limits';

/**
 * Refuses a document with more tokens than `maxTokens` before Apollo parses it, with its own
 * code (GRAPHQL_PARSE_FAILED would hide why). Reads the JSON body's `query` (POST) or the
 * `query` parameter (GET).
 */
export function tokenLimitMiddleware(maxTokens: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const body: unknown = req.body;
    const fromBody = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['query'] : undefined;
    const query = typeof fromBody === 'string' ? fromBody : typeof req.query['query'] === 'string' ? req.query['query'] : undefined;
    const problem = query === undefined ? undefined : tokenLimitProblem(query, maxTokens);
    if (!problem) return next();
    res.status(400).json({ errors: [{ message: problem.message, extensions: { code: problem.code } }] });
  };
}
