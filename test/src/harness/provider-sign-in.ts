import { randomBytes } from 'node:crypto';
import { eventually } from './eventually';
import { SESSION_FIELDS, type SignedIn } from './sign-in';
import type { GraphQLResponse, Stack } from './stack';
import { ok, tenantApi, unique, type TenantView } from './tenant-api';

/** Where the test app wants the browser back; loopback http is allowed outside production. */
export const RETURN_TO = 'http://127.0.0.1:5999/signed-in';

export const OIDC_CLAIM_MAPPING = {
  subject: 'sub',
  email: 'email',
  emailVerified: 'email_verified',
  name: 'name',
  username: 'preferred_username',
};

export interface StartedProviderLogin {
  flow: { id: string; providerId: string; expiresAt: string };
  authorizeUrl: string;
  completionSecret: string;
}

/** What the callback did with the browser: sent it back to the app (flow and outcome), or refused with a page. */
export type CallbackResult =
  { kind: 'returned'; location: URL; flow: string; outcome: string } | { kind: 'refused'; status: number; code: string | null };

/** Sign-in through an upstream provider as a frontend and its browser do it, through the gateway. */
export function providerSignInApi(env: { stack: Stack; adminToken: string }) {
  const { stack } = env;
  const remember = (...secrets: (string | null | undefined)[]) => {
    for (const secret of secrets) if (secret) stack.handledSecrets.add(secret);
  };
  const api = {
    /** A tenant whose policy allows RETURN_TO (and sign-up unless told otherwise); its callback URL. */
    async tenant(policy: Record<string, unknown> = {}): Promise<{ tenant: TenantView; callback: string }> {
      const tenants = tenantApi(env);
      const tenant = ok(await tenants.createTenant({ name: unique('Upstream Org') })).createTenant.tenant;
      ok(await tenants.updatePolicy({ tenantId: tenant.id, allowedReturnUrls: [RETURN_TO], ...policy }));
      return { tenant, callback: `${stack.publicUrl}/t/${tenant.slug}/callback` };
    },
    async registerProvider(input: Record<string, unknown>): Promise<string> {
      const registered = ok(await tenantApi(env).registerProvider(input)).registerIdentityProvider.identityProvider;
      return registered.id;
    },
    startProviderLogin: (input: { tenantId: string; providerId: string; returnTo?: string }) =>
      stack.graphql<{ startProviderLogin: StartedProviderLogin }>(
        `mutation ($input: StartProviderLoginInput!) {
          startProviderLogin(input: $input) { flow { id providerId expiresAt } authorizeUrl completionSecret }
        }`,
        { input: { returnTo: RETURN_TO, ...input } },
      ),
    /** startProviderLogin once the identity subgraph has read the provider's event. */
    async started(tenantId: string, providerId: string): Promise<StartedProviderLogin> {
      const started = await eventually(async () => ok(await api.startProviderLogin({ tenantId, providerId })).startProviderLogin);
      remember(started.completionSecret);
      return started;
    },
    /** The browser arriving at our callback (through the gateway's port) with what the provider gave it. */
    async callback(url: string): Promise<CallbackResult> {
      remember(new URL(url).searchParams.get('code'));
      const response = await fetch(url, { redirect: 'manual' });
      const body = await response.text();
      const location = response.headers.get('location');
      if (response.status === 303 && location) {
        const target = new URL(location);
        return {
          kind: 'returned',
          location: target,
          flow: target.searchParams.get('flow') ?? '',
          outcome: target.searchParams.get('outcome') ?? '',
        };
      }
      return {
        kind: 'refused',
        status: response.status,
        code: /<code id="error-code">([A-Z_]+)<\/code>/.exec(body)?.[1] ?? null,
      };
    },
    completeProviderLogin: async (input: {
      flowId: string;
      completionSecret: string;
      device?: { name: string; platform: string };
    }) => {
      const response = await stack.graphql<{ completeProviderLogin: SignedIn }>(
        `mutation ($input: CompleteProviderLoginInput!) {
          completeProviderLogin(input: $input) {
            accessToken refreshToken accountCreated
            session { ${SESSION_FIELDS} }
            account { id tenantId displayName }
          }
        }`,
        { input },
      );
      remember(response.data?.completeProviderLogin?.accessToken, response.data?.completeProviderLogin?.refreshToken);
      return response;
    },
  };
  return api;
}

export type ProviderSignInApi = ReturnType<typeof providerSignInApi>;

/** The refusal code of a GraphQL response, or what it got instead. */
export function codeOf(response: GraphQLResponse<unknown>): string {
  if (response.status >= 500) return `HTTP ${response.status}`;
  return String(response.errors?.[0]?.extensions?.code ?? 'no error');
}

/** A login name no other test uses, so a refused flow can be followed by that person's first real sign-in. */
export function freshLogin(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
