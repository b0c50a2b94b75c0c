import { OutboundRequestError } from '@messngr/kit/http';
import type { ProviderCheckProblem } from './provider-check';

/**
 * Describes a failed request without repeating anything about why: neither the status, nor
 * the error, nor the address the name resolved to reaches the tenant administrator.
 */
export function unreachableProblem(url: string): ProviderCheckProblem {
  return { code: 'UNREACHABLE', message: 'The provider could not be reached.', url };
}

export function isTooLarge(error: unknown): boolean {
  return error instanceof OutboundRequestError && error.reason === 'TOO_LARGE';
}
