import { DomainError } from '@messngr/kit/errors';
import { policyOf, providerRefusal } from '../domain/tenant-rules';
import type { LoginDependencies } from '../dependencies';
import type { UsableUpstream } from '../persistence/upstream-provider.model';
import { isUsableUpstream } from '../use-cases/upstream-provider-lookup';
import { verifyLoginCode } from '../use-cases/complete-login';
import { resendLoginCode } from '../use-cases/resend-login-code';
import { startLogin } from '../use-cases/start-login';
import type { AuthorizationServerDependencies } from './authorization-server-dependencies';
import { showConsent } from './consent-steps';
import {
  errorOf,
  finishLogin,
  frameOf,
  redirectTo,
  saveResult,
  type PageContext,
  type PageHandler,
  type PageOutcome,
} from './interaction-page';
import type { PageErrorKey } from './page-text';
import { codePage, signInPage, type ProviderChoice } from './sign-in-pages';

/** What a sign-in in progress keeps in its interaction: the login flow whose code was sent. */
interface PendingCode {
  messngr: { flowId: string; destination: string };
}

/** The page an interaction shows: who is signing in, the code sent, or consent. */
export async function showInteraction(deps: AuthorizationServerDependencies, context: PageContext): Promise<PageOutcome> {
  if (context.details.prompt.name === 'consent') return showConsent(deps, context);
  if (context.details.prompt.name !== 'login') return errorOf(context, 'START_AGAIN', 400);
  const pending = pendingOf(context.details.result);
  if (pending) return codePage({ ...frameOf(context), destination: pending.destination });
  const hint = context.details.params['login_hint'];
  return signInView(deps, context, typeof hint === 'string' ? { identifier: hint } : {});
}

/** Step one: an email or phone number for a code, or one of the tenant's providers. */
export async function signInView(
  deps: AuthorizationServerDependencies,
  context: PageContext,
  extra: { identifier?: string; error?: PageErrorKey },
): Promise<PageOutcome> {
  const allowPhone = policyOf(context.authorization.tenant).allowPhoneIdentities;
  const providers: ProviderChoice[] = (await providerChoicesOf(deps, context)).map((provider) => ({
    displayName: provider.displayName,
    href: `${context.actionBase}/provider?${new URLSearchParams({ id: provider._id, csrf: context.csrf })}`,
  }));
  return signInPage({ ...frameOf(context), allowPhone, providers, ...extra });
}

/** The tenant's enabled upstream providers its policy allows, that identity can be the relying party of. */
async function providerChoicesOf(deps: AuthorizationServerDependencies, context: PageContext): Promise<UsableUpstream[]> {
  const { tenant } = context.authorization;
  const policy = policyOf(tenant);
  const enabled = await deps.providers.enabledOf(tenant._id);
  return enabled.filter(isUsableUpstream).filter((provider) => providerRefusal(policy, provider) === null);
}

/** The form posts of the one-time-code sign-in, by the step of the URL they post to. */
export const OTP_STEPS: Record<string, PageHandler> = {
  identifier: async (deps, context) => {
    const raw = String(context.req.body?.['identifier'] ?? '').trim();
    try {
      const flow = await startLogin(loginDeps(deps), context.caller, {
        tenantId: context.authorization.tenant._id,
        ...(raw.includes('@') ? { email: raw } : { phone: raw }),
        locale: context.locale,
      });
      await saveResult(context, { messngr: { flowId: flow._id, destination: flow.masked } } satisfies PendingCode);
      return redirectTo(context, context.actionBase);
    } catch (error) {
      return signInView(deps, context, { identifier: raw, error: pageErrorOf(error) });
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
      return await finishLogin(deps, context, verified, ['otp']);
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
  restart: async (_deps, context) => {
    await saveResult(context, {});
    return redirectTo(context, context.actionBase);
  },
};

function loginDeps(deps: AuthorizationServerDependencies): LoginDependencies & Pick<AuthorizationServerDependencies, 'metrics'> {
  return deps;
}

function pendingOf(result: unknown): PendingCode['messngr'] | undefined {
  const pending = (result as Partial<PendingCode> | undefined)?.messngr;
  return pending && typeof pending.flowId === 'string' ? pending : undefined;
}

/** The identity core's refusals, in the pages' words. */
export const PAGE_ERRORS: Record<string, PageErrorKey> = {
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

/** A refusal the user can act on, as a page error; anything else is thrown on (a failure, not an answer). */
function pageErrorOf(error: unknown): PageErrorKey {
  const code = error instanceof DomainError ? error.code : (error as { extensions?: { code?: string } })?.extensions?.code;
  const key = code ? PAGE_ERRORS[code] : undefined;
  if (!key) throw error;
  return key;
}
