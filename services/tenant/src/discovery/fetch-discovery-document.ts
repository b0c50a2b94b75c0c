import type { ProviderCheckOptions, ProviderCheckProblem } from './check-identity-provider';
import { readLimitedBody } from './read-limited-body';
import { requestFailureProblem } from './request-failure-problem';

export const MAX_DISCOVERY_DOCUMENT_BYTES = 256 * 1024;

/** GETs a discovery document without following redirects; the parsed JSON, or the problem that prevented it. */
export async function fetchDiscoveryDocument(
  url: string,
  { timeoutMs, fetch }: Required<Pick<ProviderCheckOptions, 'timeoutMs' | 'fetch'>>,
): Promise<{ document: unknown } | { problem: ProviderCheckProblem }> {
  const signal = AbortSignal.timeout(timeoutMs);
  let body: Uint8Array | null;
  try {
    const response = await fetch(url, { headers: { accept: 'application/json' }, redirect: 'error', signal });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      return { problem: { code: 'HTTP_ERROR', message: `The discovery request answered HTTP ${response.status}.`, url } };
    }
    body = await readLimitedBody(response, MAX_DISCOVERY_DOCUMENT_BYTES);
  } catch (error) {
    return { problem: requestFailureProblem(error, signal, timeoutMs, url) };
  }
  if (!body) return { problem: { code: 'INVALID_DOCUMENT', message: 'The discovery document is larger than 256 KiB.', url } };
  try {
    return { document: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body)) as unknown };
  } catch {
    return { problem: { code: 'INVALID_JSON', message: 'The discovery document is not valid JSON.', url } };
  }
}
