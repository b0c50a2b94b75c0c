import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { InteractionResults } from 'oidc-provider';
import { ANONYMOUS, type Caller } from '@messngr/kit/auth';
import type { AuthorizationServerDependencies } from './authorization-server-dependencies';
import type { AuthorizationServers, TenantAuthorization } from './authorization-servers';
import { recordBrowserSignIn } from './browser-sign-in';
import { isFirstParty } from './client-metadata';
import { pageLocale, redirectTargetOf, type PageLocale } from './page-html';
import type { PageErrorKey } from './page-text';
import { errorPage, type RenderedPage } from './provider-pages';

/** One request to a hosted page of an interaction: the tenant's provider, the interaction, the page's locale and CSRF token. */
export interface PageContext {
  req: Request;
  res: Response;
  uid: string;
  authorization: TenantAuthorization;
  locale: PageLocale;
  caller: Caller;
  details: Awaited<ReturnType<TenantAuthorization['provider']['interactionDetails']>>;
  csrf: string;
  actionBase: string;
  formTargets: string[];
}

export type PageOutcome = RenderedPage | { redirected: true } | { status: number; page: RenderedPage };

export type PageHandler = (deps: AuthorizationServerDependencies, context: PageContext) => Promise<PageOutcome>;

/** The CSRF token of an interaction's pages: bound to the interaction, so a token of another one is refused. */
export function interactionCsrf(key: Buffer, uid: string): string {
  return createHmac('sha256', key).update(`interaction:${uid}`).digest('base64url');
}

export function csrfMatches(key: Buffer, uid: string, presented: unknown): boolean {
  if (typeof presented !== 'string') return false;
  const expected = Buffer.from(interactionCsrf(key, uid));
  const given = Buffer.from(presented);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * An Express handler for a page of `/t/:slug/interaction/:uid`: the interaction is the one
 * the browser's cookie holds (another uid in the URL gets "start again"); a failure that is
 * not the user's is logged, and the user sees a page in plain words, not a stack.
 */
export function pageRoute(
  servers: AuthorizationServers,
  deps: AuthorizationServerDependencies,
  csrfKey: Buffer,
  handle: (context: PageContext) => Promise<PageOutcome>,
) {
  return async (req: Request, res: Response) => {
    const slug = String(req.params['slug']);
    const uid = String(req.params['uid']);
    const authorization = await servers.forSlug(slug).catch(() => null);
    const locale = pageLocale(undefined, req.header('accept-language'));
    if (!authorization) return void sendPage(res, errorPage(locale, 'Messngr', 'GENERAL'), 404);
    let details: PageContext['details'];
    try {
      details = await authorization.provider.interactionDetails(req, res);
      if (details.uid !== uid) throw new Error('interaction mismatch');
    } catch {
      return void sendPage(res, errorPage(locale, authorization.tenant.name, 'START_AGAIN'), 400);
    }
    const context: PageContext = {
      req,
      res,
      uid,
      authorization,
      locale: pageLocale(details.params['ui_locales'], req.header('accept-language')),
      caller: (res.locals['caller'] as Caller | undefined) ?? ANONYMOUS,
      details,
      csrf: interactionCsrf(csrfKey, uid),
      actionBase: `/t/${authorization.tenant.slug}/interaction/${uid}`,
      formTargets: redirectTargetOf(details.params['redirect_uri']),
    };
    try {
      const outcome = await handle(context);
      if ('redirected' in outcome) return;
      if ('status' in outcome) return void sendPage(res, outcome.page, outcome.status);
      sendPage(res, outcome, 200);
    } catch (error) {
      deps.logger.error(
        { err: error instanceof Error ? { name: error.name, message: error.message } : 'unknown' },
        'sign-in page failed',
      );
      sendPage(res, errorPage(context.locale, authorization.tenant.name, 'GENERAL'), 500);
    }
  };
}

/** What every page of the interaction is framed with. */
export function frameOf(context: PageContext) {
  return {
    locale: context.locale,
    tenantName: context.authorization.tenant.name,
    csrf: context.csrf,
    actionBase: context.actionBase,
    formTargets: context.formTargets,
  };
}

export function errorOf(context: PageContext, key: PageErrorKey, status: number): PageOutcome {
  return { status, page: errorPage(context.locale, context.authorization.tenant.name, key) };
}

export function redirectTo(context: { res: Response }, location: string): { redirected: true } {
  context.res.redirect(303, location);
  return { redirected: true };
}

function sendPage(res: Response, page: RenderedPage, status: number): void {
  res.status(status).set(page.headers).type('html').send(page.html);
}

/** Keeps what the sign-in in progress needs (the flow it waits on) in the interaction, server-side. */
export async function saveResult(context: PageContext, result: Record<string, unknown>): Promise<void> {
  await context.authorization.provider.interactionResult(context.req, context.res, result as InteractionResults, {
    mergeWithLastSubmission: false,
  });
}

/** The user is who they proved: the browser session's login, and no consent to ask of the tenant's own app. */
export async function finishLogin(
  deps: AuthorizationServerDependencies,
  context: PageContext,
  verified: Parameters<typeof recordBrowserSignIn>[1],
  amr: string[],
): Promise<PageOutcome> {
  const signIn = await recordBrowserSignIn(deps, verified);
  const client = await context.authorization.provider.Client.find(String(context.details.params['client_id']));
  const result: InteractionResults = {
    login: { accountId: verified.account._id, amr, ts: signIn.authTime, remember: true },
    // The tenant's own app, signed in to just now: nothing to confirm (its grant is made by loadExistingGrant).
    ...(isFirstParty(client) ? { consent: {} } : {}),
  };
  await context.authorization.provider.interactionFinished(context.req, context.res, result, {
    mergeWithLastSubmission: false,
  });
  return { redirected: true };
}
