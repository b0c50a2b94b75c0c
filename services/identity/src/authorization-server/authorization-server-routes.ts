import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { type Express, type Request, type Response } from 'express';
import type { InteractionResults } from 'oidc-provider';
import { ANONYMOUS, type Caller } from '@messngr/kit/auth';
import { DomainError } from '@messngr/kit/errors';
import type { RouteGuards } from '@messngr/kit/subgraph';
import { tenantIssuer } from '@messngr/kit/core';
import { serializeSetCookie } from '@messngr/kit/http';
import { policyOf, providerRefusal } from '../domain/tenant-rules';
import { beginProviderFlow } from '../use-cases/begin-provider-flow';
import { claimAuthenticatedFlow } from '../use-cases/complete-provider-login';
import type { LoginDependencies } from '../dependencies';
import { verifyLoginCode } from '../use-cases/complete-login';
import { resendLoginCode } from '../use-cases/resend-login-code';
import { startLogin } from '../use-cases/start-login';
import type { AuthorizationServerDependencies } from './authorization-server-dependencies';
import type { AuthorizationServers, TenantAuthorization } from './authorization-servers';
import { accountClaims, scopeSet } from './account-claims';
import { isFirstParty } from './client-metadata';
import { consentPage } from './consent-page';
import { recordBrowserSignIn } from './browser-sign-in';
import { pageLocale, redirectTargetOf, type PageLocale } from './page-html';
import type { PageErrorKey } from './page-text';
import { errorPage, type RenderedPage } from './provider-pages';
import { codePage, signInPage, type ProviderChoice } from './sign-in-pages';

/** What a sign-in in progress keeps in its interaction: the login flow whose code was sent. */
interface PendingCode {
  messngr: { flowId: string; destination: string };
}

/** Or the upstream provider flow the browser was sent on. */
interface PendingProvider {
  messngrProvider: { flowId: string };
}

/**
 * The tenant's authorization server on identity's port, reached through the gateway at the
 * tenant's issuer: userinfo (the gateway has checked the access token, as for GraphQL), the
 * hosted sign-in pages of its interactions, and oidc-provider for every other endpoint.
 */
export function mountAuthorizationServerRoutes(
  app: Express,
  deps: AuthorizationServerDependencies,
  servers: AuthorizationServers,
  guards: RouteGuards,
  csrfKey: Buffer,
): void {
  app.all('/t/:slug/userinfo', guards.gatewayOnly, async (req, res, next) => {
    try {
      await userinfo(deps, servers, req, res);
    } catch (error) {
      next(error);
    }
  });

  const form = express.urlencoded({ extended: false, limit: '8kb' });
  const interaction = '/t/:slug/interaction/:uid';
  app.get(
    interaction,
    guards.gatewayOnly,
    pageRoute(servers, deps, (context) => showInteraction(context)),
  );
  // GETs with the page's CSRF token: the provider's page is another origin, and links are not bound by form-action.
  app.get(
    `${interaction}/provider`,
    guards.gatewayOnly,
    pageRoute(servers, deps, async (context) => {
      if (!csrfMatches(csrfKey, context.uid, context.req.query['csrf'])) return errorOf(context, 'START_AGAIN', 403);
      return startProviderSignIn(context);
    }),
  );
  app.get(
    `${interaction}/provider-return`,
    guards.gatewayOnly,
    pageRoute(servers, deps, (context) => finishProviderSignIn(context)),
  );
  for (const [step, handle] of Object.entries(steps())) {
    app.post(
      `${interaction}/${step}`,
      guards.gatewayOnly,
      form,
      pageRoute(servers, deps, async (context) => {
        if (!csrfMatches(csrfKey, context.uid, context.req.body?.['csrf'])) return errorOf(context, 'START_AGAIN', 403);
        return handle(deps, context);
      }),
    );
  }

  app.use('/t/:slug', guards.gatewayOnly, async (req, res, next) => {
    try {
      const authorization = await servers.forSlug(String(req.params['slug']));
      if (!authorization) return void res.status(404).json({ error: 'not_found' });
      // The provider builds its URLs from the request: the public URL, not identity's own address.
      const publicUrl = new URL(deps.publicUrl);
      req.headers['x-forwarded-host'] = publicUrl.host;
      req.headers['x-forwarded-proto'] = publicUrl.protocol.replace(':', '');
      authorization.provider.callback()(req, res);
    } catch (error) {
      next(error);
    }
  });

  function csrfOf(uid: string): string {
    return createHmac('sha256', csrfKey).update(`interaction:${uid}`).digest('base64url');
  }

  interface PageContext {
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

  type PageOutcome = RenderedPage | { redirected: true } | { status: number; page: RenderedPage };

  function pageRoute(
    servers: AuthorizationServers,
    deps: AuthorizationServerDependencies,
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
        csrf: csrfOf(uid),
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

  function frameOf(context: PageContext) {
    return {
      locale: context.locale,
      tenantName: context.authorization.tenant.name,
      csrf: context.csrf,
      actionBase: context.actionBase,
      formTargets: context.formTargets,
    };
  }

  function errorOf(context: PageContext, key: PageErrorKey, status: number): PageOutcome {
    return { status, page: errorPage(context.locale, context.authorization.tenant.name, key) };
  }

  async function showInteraction(context: PageContext): Promise<PageOutcome> {
    if (context.details.prompt.name === 'consent') return showConsent(context);
    if (context.details.prompt.name !== 'login') return errorOf(context, 'START_AGAIN', 400);
    const pending = pendingOf(context.details.result);
    if (pending) return codePage({ ...frameOf(context), destination: pending.destination });
    const hint = context.details.params['login_hint'];
    return signInView(context, typeof hint === 'string' ? { identifier: hint } : {});
  }

  async function signInView(context: PageContext, extra: { identifier?: string; error?: PageErrorKey }): Promise<PageOutcome> {
    const allowPhone = policyOf(context.authorization.tenant).allowPhoneIdentities;
    const providers: ProviderChoice[] = (await providerChoicesOf(context)).map((provider) => ({
      displayName: provider.displayName,
      href: `${context.actionBase}/provider?${new URLSearchParams({ id: provider._id, csrf: context.csrf })}`,
    }));
    return signInPage({ ...frameOf(context), allowPhone, providers, ...extra });
  }

  /** The tenant's enabled upstream providers its policy allows, that identity can be the relying party of. */
  async function providerChoicesOf(context: PageContext) {
    const { tenant } = context.authorization;
    const policy = policyOf(tenant);
    const enabled = await deps.providers.enabledOf(tenant._id);
    return enabled.filter(
      (provider) => provider.kind !== 'NATIVE' && provider.connection !== null && providerRefusal(policy, provider) === null,
    );
  }

  /**
   * "Continue with <provider>": the upstream round trip of the identity core (state, nonce and
   * PKCE kept in a flow bound to this browser by a cookie only the tenant's callback receives),
   * returning to this interaction. No completion secret: only this interaction finishes it.
   */
  async function startProviderSignIn(context: PageContext): Promise<PageOutcome> {
    if (context.details.prompt.name !== 'login') return errorOf(context, 'START_AGAIN', 400);
    const providerId = String(context.req.query['id'] ?? '');
    const { tenant } = context.authorization;
    if (!(await providerChoicesOf(context)).some((provider) => provider._id === providerId)) {
      return signInView(context, { error: 'PROVIDER_FAILED' });
    }
    const returnTo = `${tenantIssuer(deps.publicUrl, tenant.slug)}/interaction/${context.uid}/provider-return`;
    let begun: Awaited<ReturnType<typeof beginProviderFlow>>;
    try {
      begun = await beginProviderFlow(deps, context.caller, {
        tenantId: tenant._id,
        providerId,
        returnTo,
        purpose: 'SIGN_IN',
        owner: null,
        completionSecretHash: null,
      });
    } catch (error) {
      if (error instanceof DomainError) return signInView(context, { error: 'PROVIDER_FAILED' });
      throw error;
    }
    await saveResult(context, { messngrProvider: { flowId: begun.flow._id } });
    const binding = begun.browserBinding;
    context.res.append(
      'Set-Cookie',
      serializeSetCookie(
        {
          name: binding.name,
          value: binding.value,
          domain: null,
          maxAgeSeconds: binding.maxAgeSeconds,
          callbackPath: binding.callbackPath,
        },
        { secure: deps.providerCookies.secure },
      ),
    );
    return redirectTo(context, begun.authorizeUrl);
  }

  /** Back from the provider through the tenant's callback: the flow this interaction started, authenticated, signs the user in. */
  async function finishProviderSignIn(context: PageContext): Promise<PageOutcome> {
    const pending = (context.details.result as Partial<PendingProvider> | undefined)?.messngrProvider;
    const flowId = context.req.query['flow'];
    if (context.details.prompt.name !== 'login' || !pending || pending.flowId !== flowId) {
      return errorOf(context, 'START_AGAIN', 400);
    }
    const outcome = String(context.req.query['outcome'] ?? '');
    const flow = await deps.providerFlows.findById(pending.flowId);
    if (
      outcome !== 'SUCCEEDED' ||
      !flow ||
      flow.state !== 'AUTHENTICATED' ||
      flow.tenantId !== context.authorization.tenant._id
    ) {
      await saveResult(context, {});
      return signInView(context, { error: PROVIDER_OUTCOME_ERRORS[outcome] ?? 'PROVIDER_FAILED' });
    }
    let signedIn: Awaited<ReturnType<typeof claimAuthenticatedFlow>>;
    try {
      signedIn = await claimAuthenticatedFlow(deps, flow, deps.clock.now());
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await saveResult(context, {});
      return signInView(context, { error: PAGE_ERRORS[error.code] ?? 'PROVIDER_FAILED' });
    }
    return finishLogin(context, signedIn, ['fed']);
  }

  /** The user is who they proved: the browser session's login, and no consent to ask of the tenant's own app. */
  async function finishLogin(
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

  /**
   * The consent prompt: a third-party client asking for scopes not yet granted, or a native app
   * about to get a code from the browser session (RFC 8252 §8.6: another app may claim its
   * redirect, so the user confirms).
   */
  async function showConsent(context: PageContext): Promise<PageOutcome> {
    const { provider, tenant } = context.authorization;
    const client = await provider.Client.find(String(context.details.params['client_id']));
    const accountId = context.details.session?.accountId;
    const account = accountId ? await deps.accounts.findById(tenant._id, accountId) : null;
    if (!client || !account) return errorOf(context, 'START_AGAIN', 400);
    return consentPage({
      ...frameOf(context),
      clientName: client.clientName ?? client.clientId,
      firstParty: isFirstParty(client),
      accountName: account.displayName,
      scopes: missingScopesOf(context.details.prompt.details),
    });
  }

  function steps(): Record<string, (deps: AuthorizationServerDependencies, context: PageContext) => Promise<PageOutcome>> {
    return {
      identifier: async (deps, context) => {
        const raw = String(context.req.body?.['identifier'] ?? '').trim();
        try {
          const flow = await startLogin(loginDeps(deps), context.caller, {
            tenantId: context.authorization.tenant._id,
            ...(raw.includes('@') ? { email: raw } : { phone: raw }),
            locale: context.locale,
          });
          await saveResult(context, { messngr: { flowId: flow._id, destination: flow.masked } });
          return redirectTo(context, context.actionBase);
        } catch (error) {
          return signInView(context, { identifier: raw, error: pageErrorOf(error) });
        }
      },
      code: async (deps, context) => {
        const pending = pendingOf(context.details.result);
        if (!pending) return redirectTo(context, context.actionBase);
        try {
          const verified = await verifyLoginCode(loginDeps(deps), {
            flowId: pending.flowId,
            code: String(context.req.body?.['code'] ?? '').trim(),
          });
          return await finishLogin(context, verified, ['otp']);
        } catch (error) {
          return codePage({ ...frameOf(context), destination: pending.destination, error: pageErrorOf(error) });
        }
      },
      resend: async (deps, context) => {
        const pending = pendingOf(context.details.result);
        if (!pending) return redirectTo(context, context.actionBase);
        try {
          await resendLoginCode(loginDeps(deps), context.caller, { flowId: pending.flowId });
          return redirectTo(context, context.actionBase);
        } catch (error) {
          return codePage({ ...frameOf(context), destination: pending.destination, error: pageErrorOf(error) });
        }
      },
      consent: async (_deps, context) => {
        const { provider } = context.authorization;
        const { details } = context;
        if (details.prompt.name !== 'consent' || !details.session?.accountId) return errorOf(context, 'START_AGAIN', 400);
        if (context.req.body?.['decision'] !== 'allow') {
          const denied: InteractionResults = { error: 'access_denied', error_description: 'The user did not allow the client.' };
          await provider.interactionFinished(context.req, context.res, denied, { mergeWithLastSubmission: false });
          return { redirected: true };
        }
        const grant =
          (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ??
          new provider.Grant({ accountId: details.session.accountId, clientId: String(details.params['client_id']) });
        const scopes = missingScopesOf(details.prompt.details);
        if (scopes.length) grant.addOIDCScope(scopes.join(' '));
        const claims = details.prompt.details['missingOIDCClaims'];
        if (Array.isArray(claims) && claims.length) grant.addOIDCClaims(claims as string[]);
        const grantId = await grant.save();
        await provider.interactionFinished(context.req, context.res, { consent: { grantId } }, { mergeWithLastSubmission: true });
        return { redirected: true };
      },
      restart: async (_deps, context) => {
        await saveResult(context, {});
        return redirectTo(context, context.actionBase);
      },
    };
  }

  async function saveResult(context: PageContext, result: PendingCode | PendingProvider | Record<string, never>): Promise<void> {
    await context.authorization.provider.interactionResult(context.req, context.res, result as InteractionResults, {
      mergeWithLastSubmission: false,
    });
  }
}

function loginDeps(deps: AuthorizationServerDependencies): LoginDependencies & Pick<AuthorizationServerDependencies, 'metrics'> {
  return deps;
}

function missingScopesOf(promptDetails: Record<string, unknown>): string[] {
  const missing = promptDetails['missingOIDCScope'];
  return Array.isArray(missing) ? missing.filter((scope): scope is string => typeof scope === 'string') : [];
}

function pendingOf(result: unknown): PendingCode['messngr'] | undefined {
  const pending = (result as Partial<PendingCode> | undefined)?.messngr;
  return pending && typeof pending.flowId === 'string' ? pending : undefined;
}

function redirectTo(context: { res: Response }, location: string): { redirected: true } {
  context.res.redirect(303, location);
  return { redirected: true };
}

function sendPage(res: Response, page: RenderedPage, status: number): void {
  res.status(status).set(page.headers).type('html').send(page.html);
}

function csrfMatches(key: Buffer, uid: string, presented: unknown): boolean {
  if (typeof presented !== 'string') return false;
  const expected = Buffer.from(createHmac('sha256', key).update(`interaction:${uid}`).digest('base64url'));
  const given = Buffer.from(presented);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

const PAGE_ERRORS: Record<string, PageErrorKey> = {
  INVALID_CODE: 'WRONG_CODE',
  FLOW_EXPIRED: 'CODE_EXPIRED',
  TOO_MANY_ATTEMPTS: 'TOO_MANY_ATTEMPTS',
  RATE_LIMITED: 'SEND_LIMITED',
  LOCKED_OUT: 'SEND_LIMITED',
  BAD_USER_INPUT: 'INVALID_IDENTIFIER',
  PHONE_NOT_ALLOWED: 'PHONE_NOT_ALLOWED',
  ACCOUNT_DISABLED: 'ACCOUNT_DISABLED',
  TENANT_SUSPENDED: 'TENANT_SUSPENDED',
};

/** What the callback's outcome says, in the page's words (the rest: it did not work). */
const PROVIDER_OUTCOME_ERRORS: Record<string, PageErrorKey> = {
  ACCOUNT_DISABLED: 'ACCOUNT_DISABLED',
  TENANT_SUSPENDED: 'TENANT_SUSPENDED',
  FLOW_EXPIRED: 'START_AGAIN',
};

function pageErrorOf(error: unknown): PageErrorKey {
  const code = error instanceof DomainError ? error.code : (error as { extensions?: { code?: string } })?.extensions?.code;
  const key = code ? PAGE_ERRORS[code] : undefined;
  if (!key) throw error;
  return key;
}

async function userinfo(
  deps: AuthorizationServerDependencies,
  servers: AuthorizationServers,
  req: Request,
  res: Response,
): Promise<void> {
  res.setHeader('cache-control', 'no-store');
  const caller = (res.locals['caller'] as Caller | undefined) ?? ANONYMOUS;
  const authorization = await servers.forSlug(String(req.params['slug']));
  const refuse = () => {
    res.setHeader('www-authenticate', 'Bearer error="invalid_token"');
    res.status(401).json({ error: 'invalid_token' });
  };
  if (!authorization || !caller.accountId || !caller.sessionId || caller.tenantId !== authorization.tenant._id) return refuse();
  const session = await deps.sessions.findById(authorization.tenant._id, caller.sessionId);
  if (!session?.oauth || session.status !== 'ACTIVE' || !scopeSet(session.oauth.scope).has('openid')) {
    res.setHeader('www-authenticate', 'Bearer error="insufficient_scope", scope="openid"');
    return void res.status(403).json({ error: 'insufficient_scope' });
  }
  const account = await deps.accounts.findById(authorization.tenant._id, caller.accountId);
  if (!account || account.status !== 'ACTIVE') return refuse();
  res.json(accountClaims(account, scopeSet(session.oauth.scope)));
}
