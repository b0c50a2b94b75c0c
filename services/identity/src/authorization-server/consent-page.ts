import { escapeHtml, hiddenInput, type PageLocale } from './page-html';
import { PAGE_TEXT } from './page-text';
import { page, type RenderedPage } from './provider-pages';

export interface ConsentView {
  locale: PageLocale;
  tenantName: string;
  csrf: string;
  actionBase: string;
  formTargets: readonly string[];
  clientName: string;
  /** The tenant's own app (a native one, confirming a sign-in from the browser session) or a third party's. */
  firstParty: boolean;
  /** Who is signed in, so that a shared computer's user sees whose account it is. */
  accountName: string;
  /** The scopes asked for and not yet granted, in the order asked. */
  scopes: readonly string[];
}

/** Allow or deny a client the scopes it asks for: each scope in plain words, the choice posted with the page's CSRF token. */
export function consentPage(view: ConsentView): RenderedPage {
  const text = PAGE_TEXT[view.locale];
  const described = view.scopes.map((scope) => text.consentScopes[scope] ?? scope);
  const action = `${escapeHtml(view.actionBase)}/consent`;
  const csrf = hiddenInput('csrf', view.csrf);
  return page(
    {
      locale: view.locale,
      tenantName: view.tenantName,
      title: text.consentTitle(view.clientName),
      body: () =>
        `<p>${escapeHtml(text.signedInAs(view.accountName))}</p>` +
        `<p>${escapeHtml(view.firstParty ? text.consentContinue(view.clientName) : text.consentAsks(view.clientName, view.tenantName))}</p>` +
        (described.length ? `<ul class="scopes">${described.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>` : '') +
        `<form class="inline" method="post" action="${action}">${csrf}${hiddenInput('decision', 'allow')}` +
        `<button type="submit" autofocus>${escapeHtml(text.consentAllow)}</button></form>` +
        `<form class="inline" method="post" action="${action}">${csrf}${hiddenInput('decision', 'deny')}` +
        `<button type="submit" class="secondary">${escapeHtml(text.consentDeny)}</button></form>`,
    },
    view.formTargets,
  );
}
