import { BadUserInputError } from '@messngr/kit/errors';
import { isAllowedProviderUrl } from './provider-url';

export const MAX_RETURN_URLS = 20;
export const MAX_RETURN_URL_LENGTH = 2000;

/**
 * Where a browser may be sent back to after signing in or linking through an upstream provider.
 * The identity subgraph compares a requested return URL exactly (no prefix, no pattern: an open
 * redirect starts with a loose match), so each is kept as the WHATWG URL parser writes it
 * (`new URL(url).href`: scheme and host lower-cased, default port dropped, `/` for an empty
 * path) and that form is what a client must send. Each must be absolute, https (plain http only
 * for loopback hosts outside production, as provider URLs), without user info or fragment, at
 * most 2000 characters; at most 20. Throws BAD_USER_INPUT on `allowedReturnUrls`.
 */
export function checkedReturnUrls(
  urls: readonly string[],
  { allowInsecureLoopback }: { allowInsecureLoopback: boolean },
): string[] {
  if (urls.length > MAX_RETURN_URLS) throw invalid(`must list at most ${MAX_RETURN_URLS} URLs`);
  const checked = urls.map((url, index) => checkedReturnUrl(url.trim(), index, allowInsecureLoopback));
  return [...new Set(checked)];
}

function checkedReturnUrl(url: string, index: number, allowInsecureLoopback: boolean): string {
  const problem = (text: string) => invalid(`[${index}] ${text}`);
  if (url.length > MAX_RETURN_URL_LENGTH) throw problem(`must be at most ${MAX_RETURN_URL_LENGTH} characters`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw problem('must be an absolute URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw problem('must be an https URL');
  if (parsed.username || parsed.password) throw problem('must not contain user info');
  // An empty fragment (`…#`) survives in href although `hash` is empty.
  if (parsed.href.includes('#')) throw problem('must not contain a fragment');
  if (!isAllowedProviderUrl(parsed.href, allowInsecureLoopback)) {
    throw problem(allowInsecureLoopback ? 'must use https (http only on loopback hosts)' : 'must use https');
  }
  if (parsed.href.length > MAX_RETURN_URL_LENGTH) throw problem(`must be at most ${MAX_RETURN_URL_LENGTH} characters`);
  return parsed.href;
}

function invalid(problem: string): BadUserInputError {
  return new BadUserInputError(`allowedReturnUrls${problem.startsWith('[') ? '' : ' '}${problem}.`, {
    field: 'allowedReturnUrls',
  });
}
