import { decodeJwt } from 'jose';
import { AssertionSigner } from '@messngr/kit/auth';
import { PLATFORM_TENANT } from '@messngr/kit/core';
import type { Stack } from '@messngr/e2e/harness';
import { postJson } from './http-client';
import { sideBySide } from './load';
import type { ProcessCpu } from './process-cpu';

const QUERY = JSON.stringify({ query: '{ me { id handle } }' });

/**
 * The same authenticated one-fetch query (`me`: one subgraph, one database read), sent
 * through the gateway and straight to the identity subgraph with a valid assertion,
 * alternated in one run so every side sees the same machine. Through two gateways: the
 * harness's, sharing the bench process's event loop with the subgraphs, and one in its own
 * process (`gatewayProcessUrl`), as deployed.
 */
export async function gatewayOverhead(
  stack: Stack,
  options: {
    concurrency: number;
    seconds: number;
    rounds: number;
    token?: string;
    gatewayProcessUrl: string;
    cpu?: ProcessCpu;
  },
) {
  const token = options.token ?? (await stack.adminTokenFromCli());
  const signer = await AssertionSigner.fromJwk(stack.secrets.GATEWAY_ASSERTION_PRIVATE_KEY);
  const claims = decodeJwt(token);
  const caller = {
    accountId: claims.sub!,
    tenantId: PLATFORM_TENANT.id,
    sessionId: String(claims['sid']),
    roles: ['platform_admin'],
  };
  const bearer = { authorization: `Bearer ${token}` };
  return sideBySide(
    {
      gateway: () => post(stack.gatewayUrl, bearer),
      gatewayProcess: () => post(options.gatewayProcessUrl, bearer),
      direct: async () =>
        post(`${stack.subgraphUrls.identity}/graphql`, { 'x-messngr-assertion': await signer.sign(caller, 'identity') }),
    },
    options,
  );
}

async function post(url: string, headers: Record<string, string>): Promise<boolean> {
  const response = await postJson<{ data?: { me?: { id?: string } } }>(url, headers, QUERY);
  return response.status === 200 && typeof response.body.data?.me?.id === 'string';
}
