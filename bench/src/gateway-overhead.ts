import { decodeJwt } from 'jose';
import { AssertionSigner } from '@messngr/kit/auth';
import { PLATFORM_TENANT } from '@messngr/kit/core';
import type { Stack } from '@messngr/e2e/harness';
import { combine, runLoad, type LoadResult } from './load';

const QUERY = JSON.stringify({ query: '{ me { id handle } }' });

/**
 * The same authenticated one-fetch query (`me`: one subgraph, one database read), sent
 * through the gateway and straight to the identity subgraph with a valid assertion,
 * alternated in one run so both see the same machine.
 */
export async function gatewayOverhead(
  stack: Stack,
  options: { concurrency: number; seconds: number; rounds: number; token?: string },
) {
  const token = options.token ?? (await stack.adminTokenFromCli());
  const signer = await AssertionSigner.fromJwk(stack.secrets.GATEWAY_ASSERTION_PRIVATE_KEY);
  const caller = {
    accountId: decodeJwt(token).sub!,
    tenantId: PLATFORM_TENANT.id,
    sessionId: String(decodeJwt(token)['sid']),
    roles: ['platform_admin'],
  };
  const viaGateway = () => post(stack.gatewayUrl, { authorization: `Bearer ${token}` });
  const direct = async () =>
    post(`${stack.subgraphUrls.identity}/graphql`, { 'x-messngr-assertion': await signer.sign(caller, 'identity') });

  await runLoad(viaGateway, { concurrency: options.concurrency, seconds: 1 });
  await runLoad(direct, { concurrency: options.concurrency, seconds: 1 });
  const gateway: LoadResult[] = [];
  const subgraph: LoadResult[] = [];
  for (let round = 0; round < options.rounds; round += 1) {
    gateway.push(await runLoad(viaGateway, options));
    subgraph.push(await runLoad(direct, options));
  }
  return { gateway: combine(gateway), direct: combine(subgraph) };
}

async function post(url: string, headers: Record<string, string>): Promise<boolean> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: QUERY });
  const body = (await response.json()) as { data?: { me?: { id?: string } } };
  return response.ok && typeof body.data?.me?.id === 'string';
}
