import express, { type Express } from 'express';
import type { RouteGuards } from '@messngr/kit/subgraph';
import type { AuthorizationServerDependencies } from './authorization-server-dependencies';
import type { AuthorizationServers } from './authorization-servers';
import { decideConsent } from './consent-steps';
import { csrfMatches, errorOf, pageRoute, type PageHandler } from './interaction-page';
import { finishProviderSignIn, startProviderSignIn } from './provider-sign-in-steps';
import { OTP_STEPS, showInteraction } from './sign-in-steps';
import { userinfo } from './userinfo-route';

/** The form posts of an interaction's pages, by the step of the URL they post to. */
const POSTED_STEPS: Record<string, PageHandler> = { ...OTP_STEPS, consent: decideConsent };

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

  const page = (handle: Parameters<typeof pageRoute>[3]) => pageRoute(servers, deps, csrfKey, handle);
  const interaction = '/t/:slug/interaction/:uid';
  app.get(
    interaction,
    guards.gatewayOnly,
    page((context) => showInteraction(deps, context)),
  );
  // GETs with the page's CSRF token: the provider's page is another origin, and links are not bound by form-action.
  app.get(
    `${interaction}/provider`,
    guards.gatewayOnly,
    page(async (context) => {
      if (!csrfMatches(csrfKey, context.uid, context.req.query['csrf'])) return errorOf(context, 'START_AGAIN', 403);
      return startProviderSignIn(deps, context);
    }),
  );
  app.get(
    `${interaction}/provider-return`,
    guards.gatewayOnly,
    page((context) => finishProviderSignIn(deps, context)),
  );
  const form = express.urlencoded({ extended: false, limit: '8kb' });
  for (const [step, handle] of Object.entries(POSTED_STEPS)) {
    app.post(
      `${interaction}/${step}`,
      guards.gatewayOnly,
      form,
      page(async (context) => {
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
}
