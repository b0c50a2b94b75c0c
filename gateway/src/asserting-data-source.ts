import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ASSERTION_HEADER, type AssertionSigner } from '@messngr/kit/auth';
import { decodeCookieRequests, FORWARDED_COOKIE_HEADER, REVOCATION_SIGNAL_HEADER, SET_COOKIE_HEADER } from '@messngr/kit/http';
import { CORRELATION_HEADER, type Logger } from '@messngr/kit/logging';
import { inSpan, NO_TRACING, SpanKind, traceHeadersOf, type Tracing } from '@messngr/kit/tracing';
import type { GatewayContext } from './gateway-context';

/**
 * Sends each subgraph request with a fresh internal assertion for that subgraph only.
 * Client headers are never forwarded, so a client cannot pose as the gateway or as a user;
 * the one exception is the Cookie header, relayed to a subgraph that owns cookies. Each
 * fetch is a client span whose W3C `traceparent` the subgraph continues.
 */
type ResponseHook = NonNullable<RemoteGraphQLDataSource<GatewayContext>['didReceiveResponse']>;

export class AssertingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly signer: AssertionSigner,
    private readonly cookies: { relay: boolean; logger: Logger },
    fetcher: RemoteGraphQLDataSource['fetcher'],
    private readonly tracing: Tracing = NO_TRACING,
  ) {
    super({ url, fetcher });
  }

  override process(options: GraphQLDataSourceProcessOptions<GatewayContext>): ReturnType<RemoteGraphQLDataSource['process']> {
    return inSpan(
      this.tracing,
      `subgraph ${this.subgraph}`,
      { kind: SpanKind.CLIENT, attributes: { 'messngr.subgraph': this.subgraph } },
      () => super.process(options),
    );
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const headers = request.http?.headers;
    if (!headers) return;
    const caller = 'caller' in context && context.caller ? context.caller : { roles: [] };
    headers.set(ASSERTION_HEADER, await this.signer.sign(caller, this.subgraph));
    if ('correlationId' in context && context.correlationId) headers.set(CORRELATION_HEADER, context.correlationId);
    for (const [name, value] of Object.entries(traceHeadersOf())) headers.set(name, value);
    if (this.cookies.relay && 'cookieHeader' in context && context.cookieHeader)
      headers.set(FORWARDED_COOKIE_HEADER, context.cookieHeader);
  }

  override didReceiveResponse({ response, context }: Parameters<ResponseHook>[0]): Awaited<ReturnType<ResponseHook>> {
    if (response.http?.headers.get(REVOCATION_SIGNAL_HEADER) && 'revocation' in context) context.revocation.signalled = true;
    const requested = response.http?.headers.get(SET_COOKIE_HEADER);
    if (requested && this.cookies.relay && 'setCookie' in context) {
      try {
        for (const cookie of decodeCookieRequests(requested)) context.setCookie(cookie);
      } catch (error) {
        this.cookies.logger.error(
          { subgraph: this.subgraph, reason: (error as Error).message },
          'refused a malformed cookie request',
        );
      }
    }
    return response;
  }
}
