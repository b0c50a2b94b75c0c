import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ASSERTION_HEADER, type AssertionSigner } from '@messngr/kit/auth';
import { CORRELATION_HEADER } from '@messngr/kit/logging';
import type { GatewayContext } from './gateway-context';

/**
 * Sends each subgraph request with a fresh internal assertion for that subgraph only.
 * Client headers are never forwarded, so a client cannot pose as the gateway or as a user.
 */
export class AssertingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly signer: AssertionSigner,
  ) {
    // Node's own fetch (undici, pooled keep-alive) instead of the default make-fetch-happen.
    super({ url, fetcher: (input, init) => fetch(input, init) });
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const headers = request.http?.headers;
    if (!headers) return;
    const caller = 'caller' in context && context.caller ? context.caller : { roles: [] };
    headers.set(ASSERTION_HEADER, await this.signer.sign(caller, this.subgraph));
    if ('correlationId' in context && context.correlationId) headers.set(CORRELATION_HEADER, context.correlationId);
  }
}
