import type { InteractionResults } from 'oidc-provider';
import type { AuthorizationServerDependencies } from './authorization-server-dependencies';
import { isFirstParty } from './client-metadata';
import { consentPage } from './consent-page';
import { errorOf, frameOf, type PageContext, type PageOutcome } from './interaction-page';

/**
 * The consent prompt: a third-party client asking for scopes not yet granted, or a native app
 * about to get a code from the browser session (RFC 8252 §8.6: another app may claim its
 * redirect, so the user confirms).
 */
export async function showConsent(deps: AuthorizationServerDependencies, context: PageContext): Promise<PageOutcome> {
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

/** Allow: the grant gets what was asked for; anything else: `access_denied` back to the client. */
export async function decideConsent(_deps: AuthorizationServerDependencies, context: PageContext): Promise<PageOutcome> {
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
}

function missingScopesOf(promptDetails: Record<string, unknown>): string[] {
  const missing = promptDetails['missingOIDCScope'];
  return Array.isArray(missing) ? missing.filter((scope): scope is string => typeof scope === 'string') : [];
}
