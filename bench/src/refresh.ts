import { ANONYMOUS, ASSERTION_HEADER, AssertionSigner } from '@messngr/kit/auth';
import type { Stack } from '@messngr/e2e/harness';
import { postJson } from './http-client';
import type { FailureReasons } from './load';
import { REFRESH_SESSION, signIn } from './sign-in';

/** A client holding its own session: it always presents the refresh token it got last. */
export interface SessionClient {
  email: string;
  sessionId: string;
  accountId: string;
  refreshToken: string;
}

interface RefreshAnswer {
  data?: { refreshSession?: { accessToken: string; refreshToken: string | null } };
  errors?: { extensions?: { code?: string } }[];
}

/** Signs `count` distinct addresses in (a session each), a few at a time. */
export async function signInClients(stack: Stack, tenantId: string, prefix: string, count: number): Promise<SessionClient[]> {
  const clients: SessionClient[] = [];
  const next = { index: 0 };
  const signer = async () => {
    while (next.index < count) {
      const email = `${prefix}-${next.index}@bench.test`;
      next.index += 1;
      const signedIn = await signIn(stack, tenantId, email);
      if (!signedIn.refreshToken) throw new Error('completeLogin returned no refresh token in its body (cookie delivery?)');
      clients.push({ email, sessionId: signedIn.sessionId, accountId: signedIn.accountId, refreshToken: signedIn.refreshToken });
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, count) }, signer));
  return clients;
}

/** `refreshSession` through a gateway (its `/graphql` URL), each worker rotating its own client's session. */
export function refreshThroughGateway(gatewayUrl: string, clients: SessionClient[], failures: FailureReasons) {
  return async (worker: number): Promise<boolean> => {
    const client = clients[worker];
    if (!client) throw new Error(`no session client for worker ${worker}`);
    const response = await postJson<RefreshAnswer>(
      gatewayUrl,
      {},
      JSON.stringify({ query: REFRESH_SESSION, variables: { input: { refreshToken: client.refreshToken } } }),
    );
    const payload = response.body.data?.refreshSession;
    if (!payload)
      return failures.note(`refreshSession: ${response.body.errors?.[0]?.extensions?.code ?? `HTTP ${response.status}`}`);
    if (!payload.refreshToken) return failures.note('refreshSession: no refresh token in the body (cookie delivery?)');
    client.refreshToken = payload.refreshToken;
    return typeof payload.accessToken === 'string';
  };
}

/**
 * The same `refreshSession`, sent straight to the identity subgraph with a freshly signed
 * assertion for an anonymous caller, as the gateway sends it: the subgraph's share of the cost.
 */
export async function refreshStraightToSubgraph(stack: Stack, clients: SessionClient[], failures: FailureReasons) {
  const signer = await AssertionSigner.fromJwk(stack.secrets.GATEWAY_ASSERTION_PRIVATE_KEY);
  const url = `${stack.subgraphUrls.identity}/graphql`;
  return async (worker: number): Promise<boolean> => {
    const client = clients[worker];
    if (!client) throw new Error(`no session client for worker ${worker}`);
    const assertion = await signer.sign({ ...ANONYMOUS, clientIp: '127.0.0.1' }, 'identity');
    const response = await postJson<RefreshAnswer>(
      url,
      { [ASSERTION_HEADER]: assertion },
      JSON.stringify({ query: REFRESH_SESSION, variables: { input: { refreshToken: client.refreshToken } } }),
    );
    const payload = response.body.data?.refreshSession;
    if (!payload)
      return failures.note(
        `refreshSession (direct): ${response.body.errors?.[0]?.extensions?.code ?? `HTTP ${response.status}`}`,
      );
    if (!payload.refreshToken) return failures.note('refreshSession (direct): no refresh token in the body (cookie delivery?)');
    client.refreshToken = payload.refreshToken;
    return typeof payload.accessToken === 'string';
  };
}
