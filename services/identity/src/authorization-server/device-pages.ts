import type { KoaContextWithOIDC } from 'oidc-provider';
import type { TenantReplicaDocument } from '../persistence/tenant-replica.model';
import { escapeHtml, hiddenInput } from './page-html';
import { PAGE_TEXT, type PageErrorKey } from './page-text';
import { localeOf, page, providerFormFields, sendProviderPage } from './provider-pages';

/*
 * The device-code pages (RFC 8628 §3.3): enter the code shown on the device, confirm it is
 * the device in front of you, done. oidc-provider runs the flow and hands each page its form
 * (action and CSRF token `xsrf`); the forms here are our own, labelled and script-free.
 */

/** The code a `verification_uri_complete` carried, kept by the provider's middleware for the input page. */
export const PREFILLED_USER_CODE = 'messngrPrefilledUserCode';

const DEVICE_ERRORS: Record<string, PageErrorKey> = {
  NoCodeError: 'DEVICE_CODE_MISSING',
  NotFoundError: 'DEVICE_CODE_UNKNOWN',
  ExpiredError: 'DEVICE_CODE_EXPIRED',
  AlreadyUsedError: 'DEVICE_CODE_USED',
  AbortedError: 'DEVICE_ABORTED',
};

export function deviceCodeInputPage(ctx: KoaContextWithOIDC, tenant: TenantReplicaDocument, form: string, error?: Error): void {
  const locale = localeOf(ctx);
  const text = PAGE_TEXT[locale];
  const { action, xsrf } = providerFormFields(form);
  const errorKey = error ? (DEVICE_ERRORS[error.name] ?? 'GENERAL') : undefined;
  // oidc-provider's re-render errors carry the code the user typed, to show it again.
  const typed = error && 'userCode' in error ? error.userCode : undefined;
  const prefilled = typed ?? (ctx.state as Record<string, unknown>)[PREFILLED_USER_CODE];
  const invalid = errorKey ? ' aria-invalid="true" aria-describedby="field-error"' : '';
  sendProviderPage(
    ctx,
    page({
      locale,
      tenantName: tenant.name,
      title: text.deviceTitle,
      body: () =>
        `<p>${escapeHtml(text.deviceInstructions)}</p>` +
        `<form method="post" action="${escapeHtml(action)}">${hiddenInput('xsrf', xsrf)}` +
        `<label for="user_code">${escapeHtml(text.deviceCodeLabel)}</label>` +
        (errorKey ? `<p id="field-error" class="error" role="alert">${escapeHtml(text.errors[errorKey])}</p>` : '') +
        `<input id="user_code" name="user_code" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false" required autofocus value="${escapeHtml(typeof prefilled === 'string' ? prefilled : '')}"${invalid}>` +
        `<button type="submit">${escapeHtml(text.continue)}</button></form>`,
    }),
  );
}

export function deviceConfirmPage(
  ctx: KoaContextWithOIDC,
  tenant: TenantReplicaDocument,
  form: string,
  clientName: string,
  userCode: string,
): void {
  const locale = localeOf(ctx);
  const text = PAGE_TEXT[locale];
  const { action, xsrf } = providerFormFields(form);
  const fields = hiddenInput('xsrf', xsrf) + hiddenInput('user_code', userCode);
  sendProviderPage(
    ctx,
    page({
      locale,
      tenantName: tenant.name,
      title: text.deviceConfirmTitle,
      body: () =>
        `<p>${escapeHtml(text.deviceConfirm(clientName))}</p>` +
        `<p class="user-code"><code id="user-code">${escapeHtml(userCode)}</code></p>` +
        `<p>${escapeHtml(text.deviceConfirmWarning)}</p>` +
        `<form class="inline" method="post" action="${escapeHtml(action)}">${fields}${hiddenInput('confirm', 'yes')}` +
        `<button type="submit" autofocus>${escapeHtml(text.deviceAllow)}</button></form>` +
        `<form class="inline" method="post" action="${escapeHtml(action)}">${fields}${hiddenInput('abort', 'yes')}` +
        `<button type="submit" class="secondary">${escapeHtml(text.deviceDeny)}</button></form>`,
    }),
  );
}

export function deviceSuccessPage(ctx: KoaContextWithOIDC, tenant: TenantReplicaDocument): void {
  const locale = localeOf(ctx);
  const text = PAGE_TEXT[locale];
  const clientName = ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId ?? '';
  sendProviderPage(
    ctx,
    page({
      locale,
      tenantName: tenant.name,
      title: text.deviceDoneTitle,
      body: () => `<p role="status">${escapeHtml(text.deviceDone(clientName))}</p>`,
    }),
  );
}
