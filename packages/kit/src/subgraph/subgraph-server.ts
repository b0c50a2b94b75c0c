import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Express, type Request, type Response } from 'express';
import type { DocumentNode } from 'graphql';
import { ASSERTION_HEADER, type AssertionVerifier, type Caller } from '../auth/assertion';
import { hardenedApolloOptions } from '../graphql/hardened-apollo-options';
import { DEFAULT_REQUEST_LIMITS, type RequestLimits } from '../graphql/request-limits';
import { tokenLimitMiddleware } from '../graphql/token-limit';
import {
  createHttpApp,
  createOperationsApp,
  listen,
  mountReadiness,
  type Listening,
  type ReadinessChecks,
} from '../http/http-app';
import {
  encodeCookieRequests,
  FORWARDED_COOKIE_HEADER,
  parseCookieHeader,
  SET_COOKIE_HEADER,
  type CookieRequest,
} from '../http/cookie-relay';
import { jsonBodyErrors } from '../http/json-body-errors';
import { REVOCATION_SIGNAL_HEADER } from '../http/revocation-signal';
import type { Logger } from '../logging/logger';
import { currentRequestContext } from '../logging/request-context';
import type { ServiceMetrics } from '../metrics/metrics';
import type { Tracing } from '../tracing/tracing';

/** What every resolver receives. */
export interface SubgraphContext {
  caller: Caller;
  correlationId: string;
  logger: Logger;
  /** The client's cookies as the gateway relays them (to the subgraphs it relays them to), and cookies to ask the gateway for. */
  cookies: RelayedCookies;
  /** Tells the gateway this request revoked something whose event is on the broker (see REVOCATION_SIGNAL_HEADER). */
  signalRevocation(): void;
}

export interface RelayedCookies {
  get(name: string): string | undefined;
  /** Asks the gateway to set (or, with an empty value and max age 0, delete) a cookie on its response. */
  set(request: CookieRequest): void;
}

/**
 * Resolvers as Apollo builds them into a subgraph schema. Apollo's map does not know the
 * context type; each service's generated `Resolvers` (typed with SubgraphContext) fits it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SubgraphResolvers = GraphQLResolverMap<any>;

export interface SubgraphServerOptions {
  typeDefs: DocumentNode;
  resolvers: SubgraphResolvers;
  verifier: AssertionVerifier;
  logger: Logger;
  metrics: ServiceMetrics;
  tracing?: Tracing;
  readiness: ReadinessChecks;
  production: boolean;
  limits?: RequestLimits;
  /**
   * Non-GraphQL routes mounted before the GraphQL endpoint: public ones (e.g. JWKS), or ones
   * behind `guards.gatewayOnly`, which admits a request only with a valid gateway assertion and
   * leaves the caller in `res.locals.caller`.
   */
  routes?: (app: Express, guards: RouteGuards) => void;
}

export interface RouteGuards {
  gatewayOnly: (req: Request, res: Response, next: (error?: unknown) => void) => Promise<void>;
}

export interface SubgraphServer {
  app: Express;
  listen(port: number, host: string): Promise<Listening>;
  /** The operations port: `/metrics`, `/healthz`, `/readyz`. */
  listenAdmin(port: number, host: string): Promise<Listening>;
  stop(): Promise<void>;
}

/**
 * A subgraph's HTTP server: `/graphql` accepts only requests carrying a valid gateway
 * assertion for this subgraph (`_entities` included) and takes the caller from it. The
 * same request limits as at the gateway apply, in case a request gets here another way.
 */
export async function createSubgraphServer(options: SubgraphServerOptions): Promise<SubgraphServer> {
  const { logger } = options;
  const limits = options.limits ?? DEFAULT_REQUEST_LIMITS;
  // No Apollo Studio reporting: the gateway has no use for inline traces. No cache hints either
  // (nothing here is cacheable): without them no resolver call is wrapped to collect them.
  const plugins: ApolloServerPlugin<SubgraphContext>[] = [
    ApolloServerPluginInlineTraceDisabled(),
    ApolloServerPluginCacheControlDisabled(),
  ];
  if (options.production) plugins.push(ApolloServerPluginLandingPageDisabled());
  const apollo = new ApolloServer<SubgraphContext>({
    schema: buildSubgraphSchema({ typeDefs: options.typeDefs, resolvers: options.resolvers }),
    ...hardenedApolloOptions({
      production: options.production,
      limits,
      onUnexpected: (error) => logger.error({ err: error }, 'unexpected error in a resolver'),
    }),
    plugins,
  });
  await apollo.start();

  const app = createHttpApp({ metrics: options.metrics, ...(options.tracing ? { tracing: options.tracing } : {}) });
  // Readiness stays here too (the gateway and orchestrators ask the subgraph's own port); metrics do not.
  mountReadiness(app, { logger, readiness: options.readiness });
  const admin = createOperationsApp({ logger, metrics: options.metrics, readiness: options.readiness });
  options.routes?.(app, { gatewayOnly: requireAssertion(options.verifier, logger) });
  app.use(
    '/graphql',
    express.json({ limit: '256kb' }),
    requireAssertion(options.verifier, logger),
    tokenLimitMiddleware(limits.maxTokens),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const correlationId = currentRequestContext()?.correlationId ?? 'none';
        const caller: Caller = res.locals['caller'];
        return {
          caller,
          correlationId,
          logger: logger.child({ correlationId }),
          cookies: relayedCookies(req, res),
          signalRevocation: () => res.setHeader(REVOCATION_SIGNAL_HEADER, '1'),
        };
      },
    }),
    jsonBodyErrors(),
  );

  return {
    app,
    listen: (port, host) => listen(app, port, host),
    listenAdmin: (port, host) => listen(admin, port, host),
    stop: () => apollo.stop(),
  };
}

function requireAssertion(verifier: AssertionVerifier, logger: Logger) {
  return async (req: Request, res: Response, next: (error?: unknown) => void) => {
    const token = req.header(ASSERTION_HEADER);
    if (!token) return refuse(res);
    try {
      res.locals['caller'] = await verifier.verify(token);
      next();
    } catch (error) {
      logger.warn(
        { reason: error instanceof Error ? error.message : 'invalid' },
        'refused a request with an invalid gateway assertion',
      );
      refuse(res);
    }
  };
}

function refuse(res: Response): void {
  res
    .status(401)
    .json({ errors: [{ message: 'Requests must come through the gateway.', extensions: { code: 'UNAUTHENTICATED' } }] });
}

function relayedCookies(req: Request, res: Response): RelayedCookies {
  let received: Map<string, string> | undefined;
  const requested = new Map<string, CookieRequest>();
  return {
    get: (name) => (received ??= parseCookieHeader(req.header(FORWARDED_COOKIE_HEADER))).get(name),
    set: (request) => {
      requested.set(request.name, request);
      // Resolvers run before Apollo writes the response, so the header goes out with it.
      res.setHeader(SET_COOKIE_HEADER, encodeCookieRequests([...requested.values()]));
    },
  };
}
