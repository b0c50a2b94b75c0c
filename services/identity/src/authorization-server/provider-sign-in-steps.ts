import { tenantIssuer } from '@messngr/kit/core';
import { DomainError } from '@messngr/kit/errors';
import { serializeSetCookie } from '@messngr/kit/http';
import { beginProviderFlow } from '../use-cases/begin-provider-flow';
import { claimAuthenticatedFlow } from '../use-cases/complete-provider-login';
import type { AuthorizationServerDependencies } from './authorization-server-dependencies';
import { errorOf, finishLogin, redirectTo, saveResult, type PageContext, type PageOutcome } from './interaction-page';
import type { PageErrorKey } from './page-text';
import { PAGE_ERRORS, signInView } from './sign-in-steps';

/** The upstream provider flow a sign-in in progress sent the browser on. */
interface PendingProvider {
  messngrProvider: { flowId: string };
}

/** What the callback's outcome says, in the page's words (the rest: it did not work). */
const PROVIDER_OUTCOME_ERRORS: Record<string, PageErrorKey> = {
  ACCOUNT_DISABLED: 'ACCOUNT_DISABLED',
  TENANT_SUSPENDED: 'TENANT_SUSPENDED',
  FLOW_EXPIRED: 'START_AGAIN',
};

/**
 * "Continue with <provider>": the upstream round trip of the identity core (state, nonce and
 * PKCE kept in a flow bound to this browser by a cookie only the tenant's callback receives),
 * returning to this interaction. No completion secret: only this interaction finishes it.
 */
export async function startProviderSignIn(deps: AuthorizationServerDependencies, context: PageContext): Promise<PageOutcome> {
  if (context.details.prompt.name !== 'login') return errorOf(context, 'START_AGAIN', 400);
  const providerId = String(context.req.query['id'] ?? '');
  const { tenant } = context.authorization;
  // beginProviderFlow refuses a provider of another tenant, unknown, disabled or not allowed by the policy.
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
    if (error instanceof DomainError) return signInView(deps, context, { error: 'PROVIDER_FAILED' });
    throw error;
  }
  await saveResult(context, { messngrProvider: { flowId: begun.flow._id } } satisfies PendingProvider);
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
export async function finishProviderSignIn(deps: AuthorizationServerDependencies, context: PageContext): Promise<PageOutcome> {
  const pending = (context.details.result as Partial<PendingProvider> | undefined)?.messngrProvider;
  const flowId = context.req.query['flow'];
  if (context.details.prompt.name !== 'login' || !pending || pending.flowId !== flowId) {
    return errorOf(context, 'START_AGAIN', 400);
  }
  const outcome = String(context.req.query['outcome'] ?? '');
  const flow = await deps.providerFlows.findById(pending.flowId);
  if (outcome !== 'SUCCEEDED' || !flow || flow.state !== 'AUTHENTICATED' || flow.tenantId !== context.authorization.tenant._id) {
    await saveResult(context, {});
    return signInView(deps, context, { error: PROVIDER_OUTCOME_ERRORS[outcome] ?? 'PROVIDER_FAILED' });
  }
  let signedIn: Awaited<ReturnType<typeof claimAuthenticatedFlow>>;
  try {
    signedIn = await claimAuthenticatedFlow(deps, flow, deps.clock.now());
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    await saveResult(context, {});
    return signInView(deps, context, { error: PAGE_ERRORS[error.code] ?? 'PROVIDER_FAILED' });
  }
  return finishLogin(deps, context, signedIn, ['fed']);
}
