import type { ProviderCheckProblem } from './check-identity-provider';

const ERROR_CODE = /^[A-Z][A-Z0-9_]{1,40}$/;

/** Describes a rejected fetch (or body read) without repeating anything the server sent. */
export function requestFailureProblem(error: unknown, signal: AbortSignal, timeoutMs: number, url: string): ProviderCheckProblem {
  if (signal.aborted) return { code: 'TIMEOUT', message: `No answer within ${timeoutMs} ms.`, url };
  // Duck-typed: fetch's errors come from Node's own realm, so `instanceof Error` fails under jest.
  const cause = field(error, 'cause');
  // Node's fetch (undici) rejects `redirect: 'error'` with this cause; there is no more specific signal.
  if (field(cause, 'message') === 'unexpected redirect') {
    return { code: 'HTTP_ERROR', message: 'The server answered with a redirect, which is not followed.', url };
  }
  const errorCode = field(cause, 'code');
  const detail = typeof errorCode === 'string' && ERROR_CODE.test(errorCode) ? ` (${errorCode})` : '';
  return { code: 'UNREACHABLE', message: `The request failed${detail}.`, url };
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}
