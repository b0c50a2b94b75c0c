import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Express, type Request, type Response } from 'express';
import type { DocumentNode } from 'graphql';
import { ASSERTION_HEADER, type AssertionVerifier, type Caller } from './assertion';
import { createErrorFormatter, ErrorCode } from './errors';
import { createHttpApp, listen, type Listening, type ReadinessChecks } from './http-app';
import type { Logger } from './logger';
import type { ServiceMetrics } from './metrics';
import { currentRequestContext } from './request-context';
import { requestLimitRules } from './request-limits';

/** What every resolver receives. */
export interface SubgraphContext {
  caller: Caller;
  correlationId: string;
  logger: Logger;
}

export interface SubgraphServerOptions {
  typeDefs: DocumentNode;
  // The generated resolver types are stricter than Apollo's map; each service checks its own.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  resolvers: GraphQLResolverMap<any>;
  verifier: AssertionVerifier;
  logger: Logger;
  metrics: ServiceMetrics;
  readiness: ReadinessChecks;
  production: boolean;
  /** Public non-GraphQL routes (e.g. JWKS) mounted before the GraphQL endpoint. */
  routes?: (app: Express) => void;
}

export interface SubgraphServer {
  app: Express;
  apollo: ApolloServer<SubgraphContext>;
  listen(port: number, host: string): Promise<Listening>;
  stop(): Promise<void>;
}

/**
 * A subgraph's HTTP server: `/graphql` accepts only requests carrying a valid gateway
 * assertion for this subgraph (`_entities` included) and takes the caller from it.
 */
export async function createSubgraphServer(options: SubgraphServerOptions): Promise<SubgraphServer> {
  const { logger } = options;
  // No Apollo Studio reporting: the gateway has no use for inline traces.
  const plugins: ApolloServerPlugin<SubgraphContext>[] = [ApolloServerPluginInlineTraceDisabled()];
  if (options.production) plugins.push(ApolloServerPluginLandingPageDisabled());
  const apollo = new ApolloServer<SubgraphContext>({
    schema: buildSubgraphSchema({ typeDefs: options.typeDefs, resolvers: options.resolvers }),
    introspection: !options.production,
    hideSchemaDetailsFromClientErrors: options.production,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    validationRules: requestLimitRules(),
    plugins,
    formatError: createErrorFormatter((error) => logger.error({ err: error }, 'unexpected error in a resolver')),
  });
  await apollo.start();

  const app = createHttpApp({ logger, metrics: options.metrics, readiness: options.readiness });
  options.routes?.(app);
  app.use(
    '/graphql',
    express.json({ limit: '256kb' }),
    requireAssertion(options.verifier, logger),
    expressMiddleware(apollo, {
      context: async ({ res }) => {
        const correlationId = currentRequestContext()?.correlationId ?? 'none';
        return { caller: res.locals['caller'] as Caller, correlationId, logger: logger.child({ correlationId }) };
      },
    }),
  );

  return {
    app,
    apollo,
    listen: (port, host) => listen(app, port, host),
    stop: () => apollo.stop(),
  };
}

function requireAssertion(verifier: AssertionVerifier, logger: Logger) {
  return async (req: Request, res: Response, next: (error?: unknown) => void) => {
    const token = req.header(ASSERTION_HEADER);
    if (!token) return refuse(res, 'Requests must come through the gateway.');
    try {
      res.locals['caller'] = await verifier.verify(token);
      next();
    } catch (error) {
      logger.warn(
        { reason: error instanceof Error ? error.message : 'invalid' },
        'refused a request with an invalid gateway assertion',
      );
      refuse(res, 'Requests must come through the gateway.');
    }
  };
}

function refuse(res: Response, message: string): void {
  res.status(401).json({ errors: [{ message, extensions: { code: ErrorCode.UNAUTHENTICATED } }] });
}
