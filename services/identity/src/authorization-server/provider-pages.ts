import type { ErrorOut, KoaContextWithOIDC } from 'oidc-provider';
import type { TenantReplicaDocument } from '../persistence/tenant-replica.model';
import {
  contentSecurityPolicy,
  escapeHtml,
  hiddenInput,
  newNonce,
  PAGE_HEADERS,
  pageLocale,
  redirectTargetOf,
  renderPage,
  type PageLocale,
} from './page-html';
import { PAGE_TEXT, type PageErrorKey } from './page-text';

export interface RenderedPage {
  html: string;
  headers: Record<string, string>;
}

/** A page with its headers: the policy allows its nonce only, and form posts to the given targets. */
export function page(
  view: { locale: PageLocale; tenantName: string; title: string; body: (nonce: string) => string },
  formTargets: readonly string[] = [],
): RenderedPage {
  const nonce = newNonce();
  return {
    html: renderPage({ locale: view.locale, tenantName: view.tenantName, title: view.title, nonce, body: view.body(nonce) }),
    headers: { ...PAGE_HEADERS, 'content-security-policy': contentSecurityPolicy(nonce, formTargets) },
  };
}

/** A page as oidc-provider's answer (the provider's own routes: sign-out, device pages, errors). */
export function sendProviderPage(ctx: KoaContextWithOIDC, rendered: RenderedPage, status?: number): void {
  for (const [name, value] of Object.entries(rendered.headers)) ctx.set(name, value);
  if (status) ctx.status = status;
  ctx.type = 'html';
  ctx.body = rendered.html;
}

export function localeOf(ctx: KoaContextWithOIDC): PageLocale {
  return pageLocale(ctx.oidc?.params?.['ui_locales'], ctx.get('accept-language'));
}

/** What a form oidc-provider hands a page carries: where it posts and its CSRF token (`xsrf`). */
export function providerFormFields(form: string): { action: string; xsrf: string } {
  return {
    action: /action="([^"]+)"/.exec(form)?.[1] ?? '',
    xsrf: /name="xsrf" value="([^"]+)"/.exec(form)?.[1] ?? '',
  };
}

/**
 * RP-initiated logout asks first; oidc-provider's form carries its own CSRF token (`xsrf`).
 * Its post is redirected to the client's post-logout URI (validated by then), which the policy allows.
 */
export function renderSignOut(ctx: KoaContextWithOIDC, tenant: TenantReplicaDocument, form: string): void {
  const locale = localeOf(ctx);
  const text = PAGE_TEXT[locale];
  const { action, xsrf } = providerFormFields(form);
  sendProviderPage(
    ctx,
    page(
      {
        locale,
        tenantName: tenant.name,
        title: text.signOutTitle(tenant.name),
        body: () =>
          `<form method="post" action="${escapeHtml(action)}">${hiddenInput('xsrf', xsrf)}` +
          `<button type="submit" name="logout" value="yes" autofocus>${escapeHtml(text.signOut)}</button> ` +
          `<button type="submit" class="secondary">${escapeHtml(text.staySignedIn)}</button></form>`,
      },
      redirectTargetOf(ctx.oidc?.params?.['post_logout_redirect_uri']),
    ),
  );
}

export function renderSignedOut(ctx: KoaContextWithOIDC, tenant: TenantReplicaDocument): void {
  const text = PAGE_TEXT[localeOf(ctx)];
  sendProviderPage(
    ctx,
    page({
      locale: localeOf(ctx),
      tenantName: tenant.name,
      title: text.signedOutTitle,
      body: () => `<p>${escapeHtml(text.signedOut)}</p>`,
    }),
  );
}

/** Errors the provider shows the browser (no redirect is safe): plain words, the OAuth error code for support. */
export function renderProviderError(
  ctx: KoaContextWithOIDC,
  tenant: TenantReplicaDocument,
  out: ErrorOut,
  _error: unknown,
): void {
  const locale = localeOf(ctx);
  sendProviderPage(ctx, errorPage(locale, tenant.name, 'GENERAL', out.error));
}

export function errorPage(locale: PageLocale, tenantName: string, key: PageErrorKey, code?: string): RenderedPage {
  const text = PAGE_TEXT[locale];
  return page({
    locale,
    tenantName,
    title: text.errorTitle,
    body: () =>
      `<p role="alert">${escapeHtml(text.errors[key])}</p>` +
      (code ? `<p><code id="error-code">${escapeHtml(code)}</code></p>` : ''),
  });
}
