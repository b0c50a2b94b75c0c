import { randomBytes } from 'node:crypto';

export type PageLocale = 'en' | 'nb';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

export function newNonce(): string {
  return randomBytes(18).toString('base64url');
}

/** Picks en or nb from OIDC `ui_locales` first, then Accept-Language (in the browser's order). */
export function pageLocale(uiLocales: unknown, acceptLanguage: string | undefined): PageLocale {
  const wanted = [
    ...(typeof uiLocales === 'string' ? uiLocales.split(' ') : []),
    ...(acceptLanguage ?? '').split(',').map((part) => part.split(';')[0] ?? ''),
  ];
  for (const tag of wanted) {
    const language = tag.trim().toLowerCase().split('-')[0];
    if (language === 'nb' || language === 'no' || language === 'nn') return 'nb';
    if (language === 'en') return 'en';
  }
  return 'en';
}

/**
 * The hosted pages' policy: nothing but the page's own nonced style; forms post to the page's
 * origin and to the redirect that follows (Chromium applies form-action to redirects after a POST).
 */
export function contentSecurityPolicy(nonce: string, formTargets: readonly string[] = []): string {
  const targets = formTargets.filter((target) => /^(https?:\/\/[A-Za-z0-9.:[\]-]+|[a-z][a-z0-9+.-]*:)$/.test(target));
  return [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    `form-action 'self' ${targets.join(' ')}`.trim(),
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** The origin (or private-use scheme) a page's form post ends up redirected to: the client's redirect URI. */
export function redirectTargetOf(redirectUri: unknown): string[] {
  if (typeof redirectUri !== 'string') return [];
  try {
    const url = new URL(redirectUri);
    return [url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : url.protocol];
  } catch {
    return [];
  }
}

export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

const STYLE = `
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f5f7;color:#1a1d21;line-height:1.5}
header{background:#1f3a5f;color:#fff;padding:12px 24px;font-weight:600}
main{max-width:420px;margin:40px auto;background:#fff;border-radius:8px;padding:24px 28px;box-shadow:0 1px 3px rgba(0,0,0,.15)}
h1{font-size:1.4rem;margin:0 0 16px}
label{display:block;font-weight:600;margin:12px 0 4px}
input[type=text],input[type=email]{width:100%;box-sizing:border-box;padding:10px;font-size:1rem;border:1px solid #5f6b7a;border-radius:4px}
button{margin-top:16px;padding:10px 16px;font-size:1rem;border-radius:4px;border:1px solid #1f3a5f;background:#1f3a5f;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1f3a5f}
:focus-visible{outline:3px solid #c25e00;outline-offset:2px}
.error{color:#a4161a;font-weight:600}
form.inline{display:inline-block;margin-right:8px}
.user-code code{font-size:1.8rem;font-weight:600;letter-spacing:.12em}
ul.scopes{padding-left:20px}
h2{font-size:1rem;margin:24px 0 8px}
ul.providers{list-style:none;padding:0;margin:0}
ul.providers li{margin:8px 0}
a.button{display:block;text-align:center;padding:10px 16px;border:1px solid #1f3a5f;border-radius:4px;color:#1f3a5f;text-decoration:none;font-weight:600}
`;

/** A whole page: the tenant's name as its brand, one heading, the body given (already escaped). */
export function renderPage(view: { locale: PageLocale; tenantName: string; title: string; nonce: string; body: string }): string {
  const title = escapeHtml(view.title);
  const tenant = escapeHtml(view.tenantName);
  return `<!doctype html>
<html lang="${view.locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} – ${tenant}</title><style nonce="${view.nonce}">${STYLE}</style></head>
<body><header>${tenant}</header><main><h1>${title}</h1>
${view.body}
</main></body></html>`;
}

export function hiddenInput(name: string, value: string): string {
  return `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;
}
