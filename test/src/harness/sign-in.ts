import type { MailboxMessage } from '@messngr/infra';
import type { GraphQLResponse, Stack } from './stack';
import { ok } from './tenant-api';

/** The device a client names at sign-in (`DeviceAtSignInInput`). */
export interface DeviceAtSignIn {
  name: string;
  platform: string;
  appVersion?: string;
  publicKey?: Record<string, unknown>;
}

export const SESSION_FIELDS = `id current status identityKind identityDisplayValue deviceId clientIp userAgent createdAt lastSeenAt
  authenticatedAt expiresAt endedAt endReason`;

export interface SessionView {
  id: string;
  current: boolean;
  status: 'ACTIVE' | 'REVOKED' | 'EXPIRED';
  identityKind: string;
  identityDisplayValue: string;
  deviceId: string | null;
  endReason: string | null;
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  session: SessionView;
}

export interface SignedIn extends Tokens {
  account: { id: string; tenantId: string; displayName: string };
  accountCreated: boolean;
}

type Identifier = { email: string } | { phone: string };

/** The sign-in API as a frontend calls it through the gateway, with the code read from the real mailbox. */
export function signInApi(stack: Stack) {
  const remember = <Response extends GraphQLResponse<Record<string, unknown>>>(response: Response): Response => {
    for (const payload of Object.values(response.data ?? {})) {
      if (!payload || typeof payload !== 'object') continue;
      for (const key of ['accessToken', 'refreshToken'] as const) {
        const value = (payload as Record<string, unknown>)[key];
        if (typeof value === 'string') stack.handledSecrets.add(value);
      }
    }
    return response;
  };
  const api = {
    startLogin: (
      input: { tenantId: string; locale?: string } & Partial<{ email: string; phone: string }>,
      headers: Record<string, string> = {},
    ) =>
      stack.graphqlAs<{ startLogin: { flow: { id: string; state: string; channel: string; destination: string } } }>(
        `mutation ($input: StartLoginInput!) { startLogin(input: $input) { flow { id state channel destination expiresAt codeExpiresAt } } }`,
        { input },
        { headers },
      ),
    resendLoginCode: (flowId: string, headers: Record<string, string> = {}) =>
      stack.graphqlAs<{ resendLoginCode: { flow: { id: string } } }>(
        `mutation ($input: ResendLoginCodeInput!) { resendLoginCode(input: $input) { flow { id state } } }`,
        { input: { flowId } },
        { headers },
      ),
    completeLogin: async (
      input: { flowId: string; code: string; device?: DeviceAtSignIn },
      headers: Record<string, string> = {},
    ) =>
      remember(
        await stack.graphqlAs<{ completeLogin: SignedIn }>(
          `mutation ($input: CompleteLoginInput!) {
          completeLogin(input: $input) {
            accessToken refreshToken accountCreated
            session { ${SESSION_FIELDS} }
            account { id tenantId displayName }
          }
        }`,
          { input },
          { headers },
        ),
      ),
    refreshSession: async (refreshToken: string) =>
      remember(
        await stack.graphqlAs<{ refreshSession: Tokens }>(
          `mutation ($input: RefreshSessionInput!) { refreshSession(input: $input) { accessToken refreshToken session { ${SESSION_FIELDS} } } }`,
          { input: { refreshToken } },
        ),
      ),
    /** The newest message to `to` received after `since` messages, and the code in it. */
    async codeFor(to: string, since: number): Promise<{ message: MailboxMessage; code: string }> {
      const message = await stack.mailbox.waitForMessage((m) => m.to === to, { after: since, timeoutMs: 20_000 });
      const code = /\b(\d{6})\b/.exec(message.text)?.[1];
      if (!code) throw new Error(`no code in the message to ${to}`);
      stack.handledSecrets.add(code);
      return { message, code };
    },
    /** Signs in end to end: start, read the code from the mailbox, complete. */
    async signIn(tenantId: string, identifier: Identifier, device?: DeviceAtSignIn): Promise<SignedIn> {
      const since = stack.mailbox.messages.length;
      const flow = ok(await api.startLogin({ tenantId, ...identifier })).startLogin.flow;
      const to = 'email' in identifier ? identifier.email.trim().toLowerCase() : e164(identifier.phone);
      const { code } = await api.codeFor(to, since);
      return ok(await api.completeLogin({ flowId: flow.id, code, ...(device ? { device } : {}) })).completeLogin;
    },
  };
  return api;
}

function e164(phone: string): string {
  return phone.replace(/[^+\d]/g, '');
}

export type SignInApi = ReturnType<typeof signInApi>;
export type { GraphQLResponse };
