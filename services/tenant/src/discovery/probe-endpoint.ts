import type { ProviderCheckOptions, ProviderCheckProblem } from './check-identity-provider';
import { requestFailureProblem } from './request-failure-problem';

/**
 * Whether an endpoint answers at all: any HTTP response counts, since a bare GET to a token
 * or userinfo endpoint is expected to be refused (400, 401, 405) and an authorization endpoint may redirect.
 */
export async function probeEndpoint(
  url: string,
  { timeoutMs, fetch }: Required<Pick<ProviderCheckOptions, 'timeoutMs' | 'fetch'>>,
): Promise<ProviderCheckProblem | null> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, { redirect: 'manual', signal });
    await response.body?.cancel().catch(() => undefined);
    return null;
  } catch (error) {
    return requestFailureProblem(error, signal, timeoutMs, url);
  }
}
