import { escapeHtml, hiddenInput, type PageLocale } from './page-html';
import { PAGE_TEXT, type PageErrorKey } from './page-text';
import { page, type RenderedPage } from './provider-pages';

interface PageFrame {
  locale: PageLocale;
  tenantName: string;
  csrf: string;
  /** Where the form posts go, under the interaction's path. */
  actionBase: string;
  formTargets: readonly string[];
}

function errorBlock(locale: PageLocale, error: PageErrorKey | undefined): { block: string; attributes: string } {
  if (!error) return { block: '', attributes: '' };
  return {
    block: `<p id="field-error" class="error" role="alert">${escapeHtml(PAGE_TEXT[locale].errors[error])}</p>`,
    attributes: ' aria-invalid="true" aria-describedby="field-error"',
  };
}

/** An upstream provider the page offers, with the link that starts its round trip. */
export interface ProviderChoice {
  displayName: string;
  href: string;
}

/** Step one: the address a code goes to, or one of the tenant's providers. */
export function signInPage(
  frame: PageFrame & { allowPhone: boolean; providers: readonly ProviderChoice[]; identifier?: string; error?: PageErrorKey },
): RenderedPage {
  const text = PAGE_TEXT[frame.locale];
  const { block, attributes } = errorBlock(frame.locale, frame.error);
  const label = frame.allowPhone ? text.identifierOrPhoneLabel : text.identifierLabel;
  // Links, not forms: the provider is another origin, which the policy's form-action does not allow a post to end at.
  const providers = frame.providers.length
    ? `<nav aria-labelledby="providers-heading"><h2 id="providers-heading">${escapeHtml(text.orUseAProvider)}</h2><ul class="providers">` +
      frame.providers
        .map(
          (provider) =>
            `<li><a class="button" href="${escapeHtml(provider.href)}">${escapeHtml(text.continueWith(provider.displayName))}</a></li>`,
        )
        .join('') +
      '</ul></nav>'
    : '';
  return page(
    {
      locale: frame.locale,
      tenantName: frame.tenantName,
      title: text.signInTitle(frame.tenantName),
      body: () =>
        `<form method="post" action="${escapeHtml(frame.actionBase)}/identifier">${hiddenInput('csrf', frame.csrf)}` +
        `<label for="identifier">${escapeHtml(label)}</label>${block}` +
        `<input id="identifier" name="identifier" type="${frame.allowPhone ? 'text' : 'email'}" inputmode="email" autocomplete="username" required autofocus value="${escapeHtml(frame.identifier ?? '')}"${attributes}>` +
        `<button type="submit">${escapeHtml(text.continue)}</button></form>` +
        providers,
    },
    frame.formTargets,
  );
}

/** Step two: the code sent to the (masked) address. */
export function codePage(frame: PageFrame & { destination: string; error?: PageErrorKey }): RenderedPage {
  const text = PAGE_TEXT[frame.locale];
  const { block, attributes } = errorBlock(frame.locale, frame.error);
  return page(
    {
      locale: frame.locale,
      tenantName: frame.tenantName,
      title: text.codeTitle,
      body: () =>
        `<p>${escapeHtml(text.codeSentTo(frame.destination))}</p>` +
        `<form method="post" action="${escapeHtml(frame.actionBase)}/code">${hiddenInput('csrf', frame.csrf)}` +
        `<label for="code">${escapeHtml(text.codeLabel)}</label>${block}` +
        `<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required autofocus${attributes}>` +
        `<button type="submit">${escapeHtml(text.signIn)}</button></form>` +
        `<form class="inline" method="post" action="${escapeHtml(frame.actionBase)}/resend">${hiddenInput('csrf', frame.csrf)}<button type="submit" class="secondary">${escapeHtml(text.sendNewCode)}</button></form>` +
        `<form class="inline" method="post" action="${escapeHtml(frame.actionBase)}/restart">${hiddenInput('csrf', frame.csrf)}<button type="submit" class="secondary">${escapeHtml(text.useAnotherAddress)}</button></form>`,
    },
    frame.formTargets,
  );
}
