import { asTenantId } from '@messngr/kit/core';
import type { GraphQLResponse, Stack } from '@messngr/e2e/harness';

/**
 * The sign-in API as a frontend calls it through the gateway, with the one-time code read
 * from the stack's real SMTP sink (the dev mailbox). The bench's own small copy: the e2e
 * helpers lean on jest globals.
 */

export interface Tokens {
  accessToken: string;
  /** Body delivery is the default; null would mean the token went into a cookie instead. */
  refreshToken: string | null;
}

export interface SignedIn extends Tokens {
  sessionId: string;
  accountId: string;
}

export const START_LOGIN = `mutation ($input: StartLoginInput!) { startLogin(input: $input) { flow { id } } }`;
export const COMPLETE_LOGIN = `mutation ($input: CompleteLoginInput!) {
  completeLogin(input: $input) { accessToken refreshToken session { id } account { id } }
}`;
export const REFRESH_SESSION = `mutation ($input: RefreshSessionInput!) { refreshSession(input: $input) { accessToken refreshToken } }`;

export function ok<Data>(response: GraphQLResponse<Data>, what: string): Data {
  if (response.errors?.length || !response.data) {
    throw new Error(`${what}: HTTP ${response.status} ${JSON.stringify(response.errors ?? response.data).slice(0, 300)}`);
  }
  return response.data;
}

/** Start, read the code from the mailbox, complete: one whole sign-in by email. */
export async function signIn(stack: Stack, tenantId: string, email: string): Promise<SignedIn> {
  const since = stack.mailbox.messages.length;
  const started = ok(
    await stack.graphql<{ startLogin: { flow: { id: string } } }>(START_LOGIN, { input: { tenantId, email } }),
    'startLogin',
  );
  const code = await codeFor(stack, email, since);
  const completed = ok(
    await stack.graphql<{
      completeLogin: { accessToken: string; refreshToken: string | null; session: { id: string }; account: { id: string } };
    }>(COMPLETE_LOGIN, { input: { flowId: started.startLogin.flow.id, code } }),
    'completeLogin',
  ).completeLogin;
  return {
    accessToken: completed.accessToken,
    refreshToken: completed.refreshToken,
    sessionId: completed.session.id,
    accountId: completed.account.id,
  };
}

/** The code in the first message to `to` among those received after the first `since`. */
export async function codeFor(stack: Stack, to: string, since: number, timeoutMs = 20_000): Promise<string> {
  const message = await stack.mailbox.waitForMessage((m) => m.to === to, { after: since, timeoutMs });
  const code = /\b(\d{6})\b/.exec(message.text)?.[1];
  if (!code) throw new Error(`no code in the message to ${to}`);
  return code;
}

/**
 * A fresh tenant for the bench, with send limits at their maximum (10,000 per hour each) so
 * the limits never refuse a bench sign-in; resolves once the identity subgraph applies it.
 */
export async function benchTenant(stack: Stack, adminToken: string): Promise<{ id: string; slug: string }> {
  const name = `Bench ${Date.now().toString(36)}`;
  const tenant = ok(
    await stack.graphql<{ createTenant: { tenant: { id: string; slug: string } } }>(
      `mutation ($input: CreateTenantInput!) { createTenant(input: $input) { tenant { id slug } } }`,
      { input: { name } },
      adminToken,
    ),
    'createTenant',
  ).createTenant.tenant;
  const limits = { perIdentifierPerHour: 10_000, perIpPerHour: 10_000, perTenantPerHour: 10_000 };
  ok(
    await stack.graphql(
      `mutation ($input: UpdateTenantPolicyInput!) { updateTenantPolicy(input: $input) { tenant { id } } }`,
      { input: { tenantId: tenant.id, allowSignUp: true, otpSendLimits: limits } },
      adminToken,
    ),
    'updateTenantPolicy',
  );
  // The identity subgraph learns of both from the tenant's events.
  const replicas = stack.services.identity.deps.tenants;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const replica = await replicas.findById(asTenantId(tenant.id));
    if (replica?.policy?.otpSendLimits.perTenantPerHour === limits.perTenantPerHour) return tenant;
    if (Date.now() > deadline) throw new Error('the identity subgraph did not apply the bench tenant policy within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
