import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError } from 'graphql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ANONYMOUS,
  AssertionSigner,
  createErrorFormatter,
  createHttpApp,
  createMetrics,
  currentRequestContext,
  ErrorCode,
  findRepoRoot,
  listen,
  requestLimitRules,
  type Listening,
  type Logger,
} from '@messngr/kit';
import { AccessTokenVerifier } from './access-token-verifier';
import { AssertingDataSource } from './asserting-data-source';
import { SUBGRAPH_NAMES, type GatewayConfig, type SubgraphName } from './config';
import type { GatewayContext } from './gateway-context';
import { mountIssuerProxy } from './issuer-proxy';

export { GATEWAY_DEFAULT_PORT, GATEWAY_ENV_VARIABLES, parseGatewayConfig, type GatewayConfig } from './config';
export const DEFAULT_SUPERGRAPH_PATH = join(findRepoRoot(__dirname), 'schema', 'supergraph.graphql');

export interface Gateway {
  listen(port: number, host: string): Promise<Listening>;
  stop(): Promise<void>;
}

/**
 * The only door: verifies the caller's access token, then queries the subgraphs with a
 * signed internal assertion per subgraph. Serves the committed supergraph; subgraph URLs
 * come from configuration, not from the file.
 */
export async function createGateway(config: GatewayConfig, logger: Logger): Promise<Gateway> {
  const signer = await AssertionSigner.fromJwk(config.assertionPrivateKey);
  const tokens = new AccessTokenVerifier({
    publicUrl: config.publicUrl,
    identityUrl: config.subgraphUrls.identity,
    audience: config.accessTokenAudience,
  });
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(config.supergraphPath, 'utf8'),
    buildService: ({ name }) => {
      if (!isSubgraphName(name)) throw new Error(`the supergraph names an unknown subgraph "${name}"`);
      return new AssertingDataSource(name, `${config.subgraphUrls[name]}/graphql`, signer);
    },
  });
  const plugins: ApolloServerPlugin<GatewayContext>[] = config.production ? [ApolloServerPluginLandingPageDisabled()] : [];
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: !config.production,
    hideSchemaDetailsFromClientErrors: config.production,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    validationRules: requestLimitRules(),
    plugins,
    formatError: createErrorFormatter((error) => logger.error({ err: error }, 'unexpected error at the gateway')),
  });
  await apollo.start();

  const metrics = createMetrics('gateway');
  const app = createHttpApp({
    logger,
    metrics,
    readiness: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, () => isReady(config.subgraphUrls[name])])),
  });
  mountIssuerProxy(app, config.subgraphUrls.identity);
  app.use(
    '/graphql',
    express.json({ limit: '256kb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const correlationId = currentRequestContext()?.correlationId ?? 'none';
        const authorization = req.header('authorization');
        if (!authorization) return { caller: ANONYMOUS, correlationId };
        const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(authorization);
        try {
          if (!match?.[1]) throw new Error('not a bearer token');
          return { caller: await tokens.verify(match[1]), correlationId };
        } catch (error) {
          logger.info({ reason: error instanceof Error ? error.message : 'invalid' }, 'refused an access token');
          throw new GraphQLError('The access token is invalid or expired.', {
            extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } },
          });
        }
      },
    }),
  );

  return {
    listen: (port, host) => listen(app, port, host),
    stop: () => apollo.stop(),
  };
}

function isSubgraphName(name: string): name is SubgraphName {
  return (SUBGRAPH_NAMES as readonly string[]).includes(name);
}

async function isReady(baseUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2_000) });
    return response.ok;
  } catch {
    return false;
  }
}
