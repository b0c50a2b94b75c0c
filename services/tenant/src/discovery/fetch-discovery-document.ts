import type { OutboundFetch } from '@messngr/kit/http';
import type { ProviderCheckProblem } from './provider-check';
import { readLimitedBody } from './read-limited-body';
import { isTooLarge, unreachableProblem } from './unreachable-problem';

export const MAX_DISCOVERY_DOCUMENT_BYTES = 256 * 1024;

/** GETs a discovery document without following redirects; the parsed JSON, or the problem that prevented it. */
export async function fetchDiscoveryDocument(
  url: string,
  fetch: OutboundFetch,
): Promise<{ document: unknown } | { problem: ProviderCheckProblem }> {
  const tooLarge = { problem: { code: 'INVALID_DOCUMENT' as const, message: 'The discovery document is larger than 256 KiB.', url } };
  let body: Uint8Array | null;
  try {
    const response = await fetch(url, { headers: { accept: 'application/json' }, redirect: 'error' });
    if (!response.ok) return { problem: unreachableProblem(url) };
    body = await readLimitedBody(response, MAX_DISCOVERY_DOCUMENT_BYTES);
  } catch (error) {
    return isTooLarge(error) ? tooLarge : { problem: unreachableProblem(url) };
  }
  if (!body) return tooLarge;
  try {
    return { document: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body)) as unknown };
  } catch {
    return { problem: { code: 'INVALID_JSON', message: 'The discovery document is not valid JSON.', url } };
  }
}
