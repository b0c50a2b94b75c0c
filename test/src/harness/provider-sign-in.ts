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
  /** The flow-binding cookie the gateway set in the starting browser (`name=value`), and its attributes. */
  browserCookie: string;
  browserCookieAttributes: string;
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
  /** The flow cookies the gateway set in "the" browser, by flow id. */
  const browserCookies = new Map<string, { pair: string; attributes: string }>();
  const api = {
    /** A tenant whose policy allows RETURN_TO (and sign-up unless told otherwise); its callback URL. */
    async tenant(policy: Record<string, unknown> = {}): Promise<{ tenant: TenantView; callback: string }> {
      const tenants = tenantApi(env);
      const tenant = ok(await tenants.createTenant({ name: unique('Upstream Org') })).createTenant.tenant;
      ok(await tenants.updatePolicy({ tenantId: tenant.id, allowedReturnUrls: [RETURN_TO], ...policy }));
      // The identity subgraph learns of tenants from events: ready once it serves the tenant's keys.
      await eventually(async () => {
        const response = await fetch(`${stack.publicUrl}/t/${tenant.slug}/jwks.json`);
        if (!response.ok) throw new Error(`the identity subgraph does not know tenant ${tenant.slug} yet`);
      });
      return { tenant, callback: `${stack.publicUrl}/t/${tenant.slug}/callback` };
    },
    async registerProvider(input: Record<string, unknown>): Promise<string> {
      const registered = ok(await tenantApi(env).registerProvider(input)).registerIdentityProvider.identityProvider;
      return registered.id;
    },
    /**
     * A GraphQL request as the app in "the" browser sends it (with an access token if given):
     * the flow cookies the gateway sets in the answer are kept, by flow id, for the callback.
     */
    async browserGraphql<Data>(query: string, variables: Record<string, unknown>, token?: string) {
      const response = await fetch(stack.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as Omit<GraphQLResponse<Data>, 'status'>;
      const flowCookies = response.headers.getSetCookie().filter((cookie) => cookie.startsWith('mfl_'));
      for (const setCookie of flowCookies) {
        const pair = setCookie.split('; ')[0] ?? '';
        const name = pair.slice(0, pair.indexOf('='));
        remember(pair.slice(pair.indexOf('=') + 1));
        browserCookies.set(name.slice('mfl_'.length), { pair, attributes: setCookie.split('; ').slice(1).join('; ') });
      }
      return { status: response.status, ...body } as GraphQLResponse<Data>;
    },
    /** startProviderLogin as a browser's app sends it; the flow cookie set with the answer is shown beside the payload. */
    async startProviderLogin(input: { tenantId: string; providerId: string; returnTo?: string }) {
      const response = await api.browserGraphql<{
        startProviderLogin: Omit<StartedProviderLogin, 'browserCookie' | 'browserCookieAttributes'>;
      }>(
        `mutation ($input: StartProviderLoginInput!) {
          startProviderLogin(input: $input) { flow { id providerId expiresAt } authorizeUrl completionSecret }
        }`,
        { input: { returnTo: RETURN_TO, ...input } },
      );
      const started = response.data?.startProviderLogin;
      const cookie = started ? browserCookies.get(started.flow.id) : undefined;
      return {
        ...response,
        data: started
          ? {
              startProviderLogin: {
                ...started,
                browserCookie: cookie?.pair ?? '',
                browserCookieAttributes: cookie?.attributes ?? '',
              },
            }
          : response.data,
      } as GraphQLResponse<{ startProviderLogin: StartedProviderLogin }>;
    },
    /** startProviderLogin once the identity subgraph has read the provider's event. */
    async started(tenantId: string, providerId: string): Promise<StartedProviderLogin> {
      const started = await eventually(async () => ok(await api.startProviderLogin({ tenantId, providerId })).startProviderLogin);
      remember(started.completionSecret);
      return started;
    },
    /**
     * The browser arriving at our callback (through the gateway's port) with what the provider
     * gave it, and the flow cookie of the browser that started the flow (or of another browser).
     */
    async callback(
      url: string,
      browser: 'the starting browser' | 'another browser' = 'the starting browser',
    ): Promise<CallbackResult> {
      const parameters = new URL(url).searchParams;
      remember(parameters.get('code'));
      const flowId = (parameters.get('state') ?? '').split('.')[0] ?? '';
      const cookie = browser === 'the starting browser' ? browserCookies.get(flowId)?.pair : undefined;
      const response = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
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

/** The confidential client the tests register at their OpenID Providers. */
export const TEST_CLIENT = { id: 'messngr-test', secret: 'messngr-test-secret' } as const;

/** oidc-provider metadata for TEST_CLIENT, redirecting to the tenant's callback. */
export function opClient(callback: string) {
  return {
    client_id: TEST_CLIENT.id,
    client_secret: TEST_CLIENT.secret,
    redirect_uris: [callback],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  };
}

/** The tenant's OIDC provider registration for an OP serving TEST_CLIENT. */
export function oidcProviderInput(tenantId: string, issuer: string, displayName: string, extra: Record<string, unknown> = {}) {
  return {
    tenantId,
    kind: 'OIDC',
    displayName,
    issuer,
    clientId: TEST_CLIENT.id,
    clientSecret: TEST_CLIENT.secret,
    scopes: ['openid', 'email', 'profile'],
    claimMapping: OIDC_CLAIM_MAPPING,
    ...extra,
  };
}

/** The tenant's OAUTH2 provider registration for the GitHub-shaped server's app `Iv1.github`. */
export function githubProviderInput(
  tenantId: string,
  github: { authorizationEndpoint: string; tokenEndpoint: string; userEndpoint: string },
  extra: Record<string, unknown> = {},
) {
  return {
    tenantId,
    kind: 'OAUTH2',
    displayName: 'GitHub',
    authorizationEndpoint: github.authorizationEndpoint,
    tokenEndpoint: github.tokenEndpoint,
    userinfoEndpoint: github.userEndpoint,
    clientId: 'Iv1.github',
    clientSecret: 'github-secret',
    ...extra,
  };
}
