import { CookieJar } from './cookie-jar';

/** More hops than any sign-in takes: authorize, login, resume, consent, resume, callback. */
const MAX_STEPS = 20;

/**
 * Signs `login` in at an oidc-provider with development interactions, as the user's browser would:
 * follows redirects from `authorizeUrl` with a cookie jar, submits the login form (any password)
 * and the consent form, and stops at the first redirect whose location starts with `stopAt`,
 * returning that absolute URL without requesting it.
 */
export async function signInAtProvider(authorizeUrl: string, options: { login: string; stopAt: string }): Promise<string> {
  const jar = new CookieJar();
  let next: { url: URL; form?: URLSearchParams } = { url: new URL(authorizeUrl) };
  for (let step = 0; step < MAX_STEPS; step++) {
    const { url, form } = next;
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { ...cookieHeader(jar, url), ...(form && { 'content-type': 'application/x-www-form-urlencoded' }) },
      ...(form && { body: form.toString() }),
    });
    jar.store(url, response);
    const body = await response.text();

    const location = redirectLocation(url, response);
    if (location) {
      if (location.href.startsWith(options.stopAt)) return location.href;
      next = { url: location };
      continue;
    }
    if (response.status !== 200 || !response.headers.get('content-type')?.includes('text/html')) {
      throw unexpected(form ? 'POST' : 'GET', url, response, body);
    }
    const page = interactionForm(body);
    if (!page) throw unexpected(form ? 'POST' : 'GET', url, response, body);
    next = { url: new URL(page.action, url), form: fieldsFor(page.prompt, options.login, url, response, body) };
  }
  throw new Error(`no redirect to ${options.stopAt} after ${MAX_STEPS} steps from ${authorizeUrl}`);
}

/** One GET without following redirects: the absolute `location` it redirects to. */
export async function redirectTarget(url: string): Promise<string> {
  const requested = new URL(url);
  const response = await fetch(requested, { redirect: 'manual' });
  const body = await response.text();
  const location = redirectLocation(requested, response);
  if (!location) throw unexpected('GET', requested, response, body);
  return location.href;
}

function cookieHeader(jar: CookieJar, url: URL): Record<string, string> {
  const cookie = jar.header(url);
  return cookie ? { cookie } : {};
}

function redirectLocation(requested: URL, response: Response): URL | undefined {
  const location = response.headers.get('location');
  if (response.status < 300 || response.status > 399 || !location) return undefined;
  return new URL(location, requested);
}

/** The dev interaction views render one `<form action=… method="post">` with a hidden `prompt` input. */
function interactionForm(html: string): { action: string; prompt: string } | undefined {
  const form = /<form\b[^>]*\baction="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  const prompt = form && /<input\b[^>]*\bname="prompt"[^>]*\bvalue="([^"]*)"/i.exec(form[2] ?? '');
  if (!form || !prompt) return undefined;
  return { action: unescapeHtml(form[1] ?? ''), prompt: unescapeHtml(prompt[1] ?? '') };
}

function fieldsFor(prompt: string, login: string, url: URL, response: Response, body: string): URLSearchParams {
  switch (prompt) {
    case 'login':
      // The development login accepts any password.
      return new URLSearchParams({ prompt, login, password: 'any-password' });
    case 'consent':
      return new URLSearchParams({ prompt });
    default:
      throw unexpected(`prompt ${JSON.stringify(prompt)} from GET`, url, response, body);
  }
}

function unescapeHtml(text: string): string {
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", '#x2F': '/' };
  return text.replace(/&(amp|lt|gt|quot|#39|#x27|#x2F);/g, (match, name: string) => entities[name] ?? match);
}

function unexpected(what: string, url: URL, response: Response, body: string): Error {
  const excerpt = body.replace(/\s+/g, ' ').trim().slice(0, 300);
  return new Error(`${what} ${url.href} answered ${response.status}: ${excerpt || '(empty body)'}`);
}
