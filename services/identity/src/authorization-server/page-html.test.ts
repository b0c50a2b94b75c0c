import { contentSecurityPolicy, escapeHtml, pageLocale, renderPage } from './page-html';
import { PAGE_TEXT } from './page-text';
import { codePage, signInPage } from './sign-in-pages';

const frame = {
  locale: 'en' as const,
  tenantName: 'Acme',
  csrf: 'csrf-token-1',
  actionBase: '/t/acme/interaction/u1',
  formTargets: [],
  providers: [],
};

describe('hosted page HTML', () => {
  it('escapes text and attribute values', () => {
    expect(escapeHtml(`<script>alert("x")</script>&'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
  });

  it('shows a hostile tenant name and identifier escaped, never raw', () => {
    const hostile = '<script>alert(1)</script>';
    const { html } = signInPage({ ...frame, tenantName: hostile, allowPhone: false, identifier: `"><img src=x>` });
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('puts the CSRF token in every form and posts them all', () => {
    const { html } = codePage({ ...frame, destination: 'a***@example.com' });
    const forms = html.match(/<form [^>]*>/g) ?? [];
    expect(forms).toHaveLength(3);
    for (const form of forms) expect(form).toContain('method="post"');
    expect(html.match(/name="csrf" value="csrf-token-1"/g)).toHaveLength(3);
  });

  it('offers the tenant’s providers as links, names escaped, under a heading of their own', () => {
    const { html } = signInPage({
      ...frame,
      allowPhone: false,
      providers: [
        { displayName: 'Acme <SSO>', href: '/t/acme/interaction/u1/provider?id=idp_1&csrf=c' },
        { displayName: 'GitHub', href: '/t/acme/interaction/u1/provider?id=idp_2&csrf=c' },
      ],
    });
    expect(html).toContain('<h2 id="providers-heading">Or sign in with</h2>');
    expect(html).toContain(
      '<a class="button" href="/t/acme/interaction/u1/provider?id=idp_1&amp;csrf=c">Continue with Acme &lt;SSO&gt;</a>',
    );
    expect(html).toContain('>Continue with GitHub</a>');
    expect(signInPage({ ...frame, allowPhone: false }).html).not.toContain('providers-heading');
  });

  it('labels every input and ties an error to it', () => {
    const { html } = codePage({ ...frame, destination: 'a***@example.com', error: 'WRONG_CODE' });
    expect(html).toContain('<label for="code">');
    expect(html).toContain('role="alert"');
    expect(html).toMatch(/id="code"[^>]*aria-invalid="true" aria-describedby="field-error"/);
    expect(html).toContain(PAGE_TEXT.en.errors.WRONG_CODE);
  });

  it('speaks the page locale: lang attribute and text', () => {
    const en = signInPage({ ...frame, allowPhone: true }).html;
    const nb = signInPage({ ...frame, locale: 'nb', allowPhone: true }).html;
    expect(en).toContain('<html lang="en">');
    expect(nb).toContain('<html lang="nb">');
    expect(nb).toContain('E-post eller telefonnummer');
    expect(en).toContain('Email or phone number');
  });

  it('picks the locale from ui_locales before Accept-Language, Norwegian variants as nb', () => {
    expect(pageLocale('nb en', 'en-GB,en;q=0.9')).toBe('nb');
    expect(pageLocale(undefined, 'nn-NO,en;q=0.5')).toBe('nb');
    expect(pageLocale(undefined, 'no')).toBe('nb');
    expect(pageLocale('fr', 'de-DE,en;q=0.7')).toBe('en');
    expect(pageLocale(undefined, undefined)).toBe('en');
  });

  it('allows only its nonce for styles and no script at all', () => {
    const page = renderPage({ locale: 'en', tenantName: 'Acme', title: 'T', nonce: 'n0nce', body: '<p>x</p>' });
    expect(page).toContain('<style nonce="n0nce">');
    expect(page).not.toContain('<script');
    expect(contentSecurityPolicy('n0nce', ['https://app.example.com', 'com.example.app:'])).toBe(
      "default-src 'none'; style-src 'nonce-n0nce'; form-action 'self' https://app.example.com com.example.app:; frame-ancestors 'none'; base-uri 'none'",
    );
  });

  it('drops form targets that could widen the policy', () => {
    expect(contentSecurityPolicy('n', ['https://a.example; script-src *', "'unsafe-inline'", 'https://ok.example'])).toBe(
      "default-src 'none'; style-src 'nonce-n'; form-action 'self' https://ok.example; frame-ancestors 'none'; base-uri 'none'",
    );
  });
});
