import { randomBytes } from 'node:crypto';
import { eventually } from './eventually';
import type { GraphQLResponse, Stack } from './stack';
import type { ReadMessage, TopicReader } from './topic-reader';

/**
 * Small typed wrappers around the tenant subgraph's API as the gateway serves it, shared by
 * the tenant e2e files. Every response is also kept in `transcript` so a test can assert that
 * a secret never came back in any of them.
 */

export type ProviderKind = 'NATIVE' | 'OIDC' | 'OAUTH2';

export interface ProviderConfigurationView {
  issuer: string | null;
  useDiscovery: boolean;
  authorizationEndpoint: string | null;
  tokenEndpoint: string | null;
  userinfoEndpoint: string | null;
  jwksUri: string | null;
  clientId: string | null;
  hasClientSecret: boolean;
  scopes: string[];
  pkceRequired: boolean;
  claimMapping: {
    subject: string;
    email: string | null;
    emailVerified: string | null;
    name: string | null;
    username: string | null;
  };
}

export interface ProviderView {
  id: string;
  tenantId: string | null;
  kind: ProviderKind;
  displayName: string;
  badgeKey: string;
  enabled: boolean;
  personal: boolean;
  isDefault: boolean;
  sharedDefinitionId: string | null;
  configuration: ProviderConfigurationView | null;
  createdAt: string;
  updatedAt: string;
}

export interface PolicyView {
  allowedProviderKinds: ProviderKind[];
  allowedProviderIds: string[] | null;
  allowPersonalProviders: boolean;
  allowPhoneIdentities: boolean;
  allowSignUp: boolean;
  otpSendLimits: { perIdentifierPerHour: number; perIpPerHour: number; perTenantPerHour: number };
}

export interface TenantView {
  id: string;
  name: string;
  slug: string;
  status: 'ACTIVE' | 'SUSPENDED';
  locales: string[];
  defaultLocale: string;
  defaultTimezone: string;
  createdAt: string;
  updatedAt: string;
  identityProviders: ProviderView[];
  defaultIdentityProvider: { id: string; kind: ProviderKind; isDefault: boolean };
  settings: {
    session: {
      cookieName: string;
      cookieDomain: string | null;
      sessionTtlSeconds: number;
      refreshTokenAbsoluteLifetimeSeconds: number;
    };
    policy: PolicyView;
    metadata: Record<string, unknown>;
    suspensionReason: string | null;
  } | null;
}

export interface TestReportView {
  ok: boolean;
  problems: { code: string; message: string; url: string | null }[];
  discovered: {
    issuer: string | null;
    authorizationEndpoint: string | null;
    tokenEndpoint: string | null;
    jwksUri: string | null;
    codeChallengeMethodsSupported: string[];
  } | null;
}

export const PROVIDER_FIELDS = `id tenantId kind displayName badgeKey enabled personal isDefault sharedDefinitionId createdAt updatedAt
  configuration {
    issuer useDiscovery authorizationEndpoint tokenEndpoint userinfoEndpoint jwksUri clientId hasClientSecret scopes pkceRequired
    claimMapping { subject email emailVerified name username }
  }`;

export const POLICY_FIELDS = `allowedProviderKinds allowedProviderIds allowPersonalProviders allowPhoneIdentities allowSignUp
  otpSendLimits { perIdentifierPerHour perIpPerHour perTenantPerHour }`;

export const TENANT_FIELDS = `id name slug status locales defaultLocale defaultTimezone createdAt updatedAt
  identityProviders { ${PROVIDER_FIELDS} }
  defaultIdentityProvider { id kind isDefault }
  settings {
    session { cookieName cookieDomain sessionTtlSeconds refreshTokenAbsoluteLifetimeSeconds }
    policy { ${POLICY_FIELDS} }
    metadata
    suspensionReason
  }`;

const REPORT_FIELDS = `ok problems { code message url }
  discovered { issuer authorizationEndpoint tokenEndpoint jwksUri codeChallengeMethodsSupported }`;

type Env = { readonly stack: Stack; readonly adminToken: string };
type Input = Record<string, unknown>;
/** A bearer token, or null for an anonymous caller. */
export type As = string | null;

/** `Name <random>`: tenants, providers and Kafka keys are shared by test files running in parallel. */
export function unique(prefix: string): string {
  return `${prefix} ${randomBytes(4).toString('hex')}`;
}

/** The data of a response that must have succeeded; a readable failure with the errors otherwise. */
export function ok<Data>(response: GraphQLResponse<Data>): Data {
  if (response.errors?.length || !response.data) {
    throw new Error(`expected data, got HTTP ${response.status} ${JSON.stringify(response.errors ?? response.data)}`);
  }
  return response.data;
}

/** The response failed with `code` (and names `field`, when given), and not as a server error. */
export function expectError(response: GraphQLResponse<unknown>, code: string, field?: string): void {
  const extensions = response.errors?.[0]?.extensions;
  expect({
    status: response.status < 500 ? 'not 5xx' : response.status,
    code: extensions?.code,
    field: extensions?.['field'],
  }).toEqual({
    status: 'not 5xx',
    code,
    field: field ?? extensions?.['field'],
  });
}

export function tenantApi(env: Env) {
  const transcript: string[] = [];
  async function call<Data>(query: string, variables: Input, as: As): Promise<GraphQLResponse<Data>> {
    const response = await env.stack.graphql<Data>(query, variables, as ?? undefined);
    transcript.push(JSON.stringify(response));
    return response;
  }
  const admin = () => env.adminToken;

  return {
    /** Every response body this api received, as JSON. */
    transcript,

    createTenant: (input: Input, as: As = admin()) =>
      call<{ createTenant: { tenant: TenantView } }>(
        `mutation ($input: CreateTenantInput!) { createTenant(input: $input) { tenant { ${TENANT_FIELDS} } } }`,
        { input },
        as,
      ),
    updateTenant: (input: Input, as: As = admin()) =>
      call<{ updateTenant: { tenant: TenantView } }>(
        `mutation ($input: UpdateTenantInput!) { updateTenant(input: $input) { tenant { ${TENANT_FIELDS} } } }`,
        { input },
        as,
      ),
    suspendTenant: (input: { id: string; reason: string }, as: As = admin()) =>
      call<{ suspendTenant: { tenant: TenantView } }>(
        `mutation ($input: SuspendTenantInput!) { suspendTenant(input: $input) { tenant { ${TENANT_FIELDS} } } }`,
        { input },
        as,
      ),
    reactivateTenant: (id: string, as: As = admin()) =>
      call<{ reactivateTenant: { tenant: TenantView } }>(
        `mutation ($input: ReactivateTenantInput!) { reactivateTenant(input: $input) { tenant { ${TENANT_FIELDS} } } }`,
        { input: { id } },
        as,
      ),
    tenant: (id: string, as: As = admin()) =>
      call<{ tenant: TenantView | null }>(`query ($id: ID!) { tenant(id: $id) { ${TENANT_FIELDS} } }`, { id }, as),
    tenantBySlug: (slug: string, as: As = admin()) =>
      call<{ tenantBySlug: TenantView | null }>(
        `query ($slug: String!) { tenantBySlug(slug: $slug) { ${TENANT_FIELDS} } }`,
        { slug },
        as,
      ),
    tenants: (args: { first?: number; after?: string | null; filter?: Input }, as: As = admin()) =>
      call<{
        tenants: {
          edges: { cursor: string; node: { id: string; name: string; slug: string; status: string } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
      }>(
        `query ($first: Int, $after: String, $filter: TenantFilter) {
          tenants(first: $first, after: $after, filter: $filter) {
            edges { cursor node { id name slug status } }
            pageInfo { hasNextPage endCursor }
          }
        }`,
        args,
        as,
      ),

    registerProvider: (input: Input, as: As = admin()) =>
      call<{ registerIdentityProvider: { identityProvider: ProviderView } }>(
        `mutation ($input: RegisterIdentityProviderInput!) {
          registerIdentityProvider(input: $input) { identityProvider { ${PROVIDER_FIELDS} } }
        }`,
        { input },
        as,
      ),
    updateProvider: (input: Input, as: As = admin()) =>
      call<{ updateIdentityProvider: { identityProvider: ProviderView } }>(
        `mutation ($input: UpdateIdentityProviderInput!) {
          updateIdentityProvider(input: $input) { identityProvider { ${PROVIDER_FIELDS} } }
        }`,
        { input },
        as,
      ),
    enableProvider: (id: string, as: As = admin()) =>
      call<{ enableIdentityProvider: { identityProvider: ProviderView } }>(
        `mutation ($input: IdentityProviderIdInput!) { enableIdentityProvider(input: $input) { identityProvider { ${PROVIDER_FIELDS} } } }`,
        { input: { id } },
        as,
      ),
    disableProvider: (id: string, as: As = admin()) =>
      call<{ disableIdentityProvider: { identityProvider: ProviderView } }>(
        `mutation ($input: IdentityProviderIdInput!) { disableIdentityProvider(input: $input) { identityProvider { ${PROVIDER_FIELDS} } } }`,
        { input: { id } },
        as,
      ),
    removeProvider: (id: string, as: As = admin()) =>
      call<{ removeIdentityProvider: { removedId: string } }>(
        `mutation ($input: IdentityProviderIdInput!) { removeIdentityProvider(input: $input) { removedId } }`,
        { input: { id } },
        as,
      ),
    setDefaultProvider: (input: { tenantId: string; providerId: string }, as: As = admin()) =>
      call<{ setDefaultIdentityProvider: { tenant: TenantView } }>(
        `mutation ($input: SetDefaultIdentityProviderInput!) { setDefaultIdentityProvider(input: $input) { tenant { ${TENANT_FIELDS} } } }`,
        { input },
        as,
      ),
    testProvider: (id: string, as: As = admin()) =>
      call<{ testIdentityProvider: { report: TestReportView } }>(
        `mutation ($input: IdentityProviderIdInput!) { testIdentityProvider(input: $input) { report { ${REPORT_FIELDS} } } }`,
        { input: { id } },
        as,
      ),
    identityProvider: (id: string, as: As = admin()) =>
      call<{ identityProvider: ProviderView | null }>(
        `query ($id: ID!) { identityProvider(id: $id) { ${PROVIDER_FIELDS} } }`,
        { id },
        as,
      ),
    sharedIdentityProviders: (as: As = admin()) =>
      call<{ sharedIdentityProviders: ProviderView[] }>(`{ sharedIdentityProviders { ${PROVIDER_FIELDS} } }`, {}, as),

    updatePolicy: (input: Input, as: As = admin()) =>
      call<{ updateTenantPolicy: { tenant: TenantView } }>(
        `mutation ($input: UpdateTenantPolicyInput!) { updateTenantPolicy(input: $input) { tenant { ${TENANT_FIELDS} } } }`,
        { input },
        as,
      ),
  };
}

export type TenantApi = ReturnType<typeof tenantApi>;

export interface Person {
  accountId: string;
  token: string;
}

/**
 * A real account in the tenant (createAccount by the platform admin, which works once the
 * identity subgraph has read the tenant's creation event) and an access token for it.
 */
export async function personIn(env: Env, tenantId: string, roles: string[] = []): Promise<Person> {
  const account = await eventually(async () => {
    const response = await env.stack.graphql<{ createAccount: { account: { id: string } } }>(
      `mutation ($input: CreateAccountInput!) { createAccount(input: $input) { account { id } } }`,
      { input: { tenantId, displayName: 'E2E Person', handle: `e2e_${randomBytes(5).toString('hex')}` } },
      env.adminToken,
    );
    return ok(response).createAccount.account;
  });
  const token = await env.stack.issueToken({ tenantId, accountId: account.id, roles });
  return { accountId: account.id, token };
}

export interface TenantFixture {
  tenant: TenantView;
  /** An account with `tenant_admin` in this tenant. */
  admin: Person;
  /** An account without roles in this tenant. */
  member: Person;
}

/** A fresh tenant (unique name) with an administrator and a plain member. */
export async function tenantWithPeople(env: Env, api: TenantApi, input: Input = {}): Promise<TenantFixture> {
  const tenant = ok(await api.createTenant({ name: unique('E2E Org'), ...input })).createTenant.tenant;
  const [admin, member] = await Promise.all([personIn(env, tenant.id, ['tenant_admin']), personIn(env, tenant.id)]);
  return { tenant, admin, member };
}

export interface EventView {
  id: string;
  key: string | null;
  type: string;
  subject: string;
  tenantid: string;
  partitionkey: string;
  data: Record<string, unknown>;
  raw: string;
}

function parse(message: ReadMessage): EventView {
  const event = JSON.parse(message.value) as Omit<EventView, 'key' | 'raw'>;
  return { ...event, key: message.key, raw: message.value };
}

/** The first event of `type` keyed `key` (and matching `where`) on the broker. */
export async function waitForEvent(
  reader: TopicReader,
  key: string,
  type: string,
  where: (event: EventView) => boolean = () => true,
): Promise<EventView> {
  const message = await reader.waitFor((m) => {
    if (m.key !== key) return false;
    try {
      const event = parse(m);
      return event.type === type && where(event);
    } catch {
      return false;
    }
  });
  return parse(message);
}

/** Every readable event read so far with this key, in broker order; a redelivered event (same id) counts once. */
export function eventsWithKey(reader: TopicReader, key: string): EventView[] {
  const seen = new Set<string>();
  return reader.messages
    .filter((m) => m.key === key)
    .flatMap((m) => {
      try {
        const event = parse(m);
        if (seen.has(event.id)) return [];
        seen.add(event.id);
        return [event];
      } catch {
        return [];
      }
    });
}
