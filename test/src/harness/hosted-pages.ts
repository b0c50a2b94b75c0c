import type { BrowserContext, Page } from 'playwright-core';
import { saveScreenshot, type TestBrowser } from './browser';
import { eventually } from './eventually';
import { signInApi } from './sign-in';
import type { Stack } from './stack';

export interface AppContext {
  context: BrowserContext;
  /** Every request the browser made to the app's origin, in order: the authorization responses. */
  callbacks: string[];
}

/**
 * The hosted sign-in pages as a user meets them in a real Chromium, for apps whose host
 * does not resolve (and need not): the request to the app, with the code, is what a test reads.
 */
export function hostedPages(stack: () => Stack, browser: () => TestBrowser, appOrigin: string) {
  return {
    /** A browser context with a language that records the app's callback URLs as it is sent to them. */
    async appContext(locale = 'en-GB'): Promise<AppContext> {
      const context = await browser().newContext({ locale });
      const callbacks: string[] = [];
      context.on('request', (request) => {
        if (request.url().startsWith(`${appOrigin}/`)) callbacks.push(request.url());
      });
      return { context, callbacks };
    },

    /** Opens a URL that may end at the app's unresolvable callback. */
    async open(page: Page, url: URL | string): Promise<void> {
      await page.goto(String(url)).catch((error: Error) => {
        if (!/ERR_NAME_NOT_RESOLVED/.test(error.message)) throw error;
      });
    },

    /** Signs in on the hosted pages: the address, then the code read from the real SMTP sink. */
    async signIn(page: Page, email: string, screenshots?: string): Promise<void> {
      await page.getByLabel(/email|e-post/i).fill(email);
      if (screenshots) await saveScreenshot(page, `${screenshots}-sign-in`);
      const since = stack().mailbox.messages.length;
      await page.getByRole('button', { name: /continue|fortsett/i }).click();
      await page.waitForSelector('input[name="code"]');
      if (screenshots) await saveScreenshot(page, `${screenshots}-code`);
      const { code } = await signInApi(stack()).codeFor(email, since);
      await page.locator('input[name="code"]').fill(code);
      await page.getByRole('button', { name: /^(sign in|logg inn)$/i }).click();
    },

    async callbackOf(callbacks: string[]): Promise<URL> {
      return eventually(async () => {
        const url = callbacks.at(-1);
        if (!url) throw new Error('no callback yet');
        return new URL(url);
      });
    },
  };
}

/** A form post to one of the issuer's endpoints, as a client without a library sends it. */
export async function postForm(
  url: string,
  body: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}
