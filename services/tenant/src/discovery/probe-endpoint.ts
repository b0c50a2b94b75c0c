import type { OutboundFetch } from '@messngr/kit/http';
import type { ProviderCheckProblem } from './provider-check';
import { unreachableProblem } from './unreachable-problem';

/**
 * Whether an endpoint answers at all: any HTTP response counts, since a bare GET to a token
 * or userinfo endpoint is expected to be refused (400, 401, 405) and an authorization endpoint may redirect.
 */
export async function probeEndpoint(url: string, fetch: OutboundFetch): Promise<ProviderCheckProblem | null> {
  try {
    await fetch(url, { redirect: 'manual' });
    return null;
  } catch {
    return unreachableProblem(url);
  }
}
