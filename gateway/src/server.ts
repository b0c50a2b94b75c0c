import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Request } from 'express';
import { GraphQLError } from 'graphql';
import { isSubgraphName, SUBGRAPH_NAMES } from '@messngr/contracts';
import { ANONYMOUS, AssertionSigner, type Caller } from '@messngr/kit/auth';
import { findRepoRoot } from '@messngr/kit/core';
import { DEFAULT_REQUEST_LIMITS, hardenedApolloOptions, tokenLimitMiddleware } from '@messngr/kit/graphql';
import {
  createHttpApp,
  createOperationsApp,
  jsonBodyErrors,
  listen,
  serializeSetCookie,
  type CookieRequest,
  type Listening,
} from '@messngr/kit/http';
import { currentRequestContext, type Logger } from '@messngr/kit/logging';
import { counterOf, createMetrics } from '@messngr/kit/metrics';
import { createTracing } from '@messngr/kit/tracing';
import { createKafka } from '@messngr/kit/events';
import { AccessTokenVerifier } from './access-token-verifier';
import { RevokedAccessError, tokenFailureReason } from './token-failure-reason';
import { AssertingDataSource } from './asserting-data-source';
import type { GatewayConfig } from './config';
import type { GatewayContext } from './gateway-context';
import { mountAuthorizationServerProxy } from './authorization-server-proxy';
import { mountIssuerProxy } from './issuer-proxy';
import { keepAliveFetcher } from './keep-alive-fetcher';
import { mountOpenApiDocument, mountRestProxy } from './rest-proxy';
import { RevocationFeed } from './revocation-feed';
import { revocationFencePlugin } from './revocation-fence-plugin';
import { RevocationList } from './revocation-list';

export { GATEWAY_DEFAULT_PORT, GATEWAY_ENV_VARIABLES, parseGatewayConfig, type GatewayConfig } from './config';
export const DEFAULT_SUPERGRAPH_PATH = join(findRepoRoot(__dirname), 'schema', 'supergraph.graphql');

export interface GatewayListening {
  /** The public base URL: `/graphql`, the REST API under `/api` and the tenants' issuer documents. */
  url: string;
  /** The operations base URL: `/healthz`, `/readyz` and `/metrics`. */
  adminUrl: string;
  close(): Promise<void>;
}

export interface Gateway {
  listen(): Promise<GatewayListening>;
  stop(): Promise<void>;
}

/**
 * The only door: verifies the caller's access token, then queries the subgraphs with a
 * signed internal assertion per subgraph; the REST API beside GraphQL goes the same way
 * (`rest-proxy.ts`). Serves the committed supergraph; subgraph URLs come from configuration,
 * not from the file. Readiness and metrics are for operators and answer on a separate
 * operations port; spans are exported when OTEL_EXPORTER_OTLP_ENDPOINT is set.
 */
export async function createGateway(config: GatewayConfig, logger: Logger): Promise<Gateway> {
  const signer = await AssertionSigner.fromJwk(config.assertionPrivateKey);
  const metrics = createMetrics('gateway');
  const tracing = createTracing({ service: 'gateway', otlpEndpoint: config.otlpEndpoint });
  const tokenFailures = counterOf(metrics, {
    name: 'gateway_token_verification_failures_total',
    help: 'Access tokens the gateway refused, by reason (malformed, expired, bad signature, unknown issuer, revoked, ...).',
    labelNames: ['reason'],
  });
  const tokens = new AccessTokenVerifier({
    publicUrl: config.publicUrl,
    identityUrl: config.subgraphUrls.identity,
    audience: config.accessTokenAudience,
    maxTokenAgeSeconds: config.accessTokenMaxAgeSeconds,
  });
  const revocations = new RevocationList();
  const feed = new RevocationFeed({
    kafka: createKafka({ brokers: config.kafkaBrokers, clientId: 'messngr-gateway', logger }),
    list: revocations,
    // Every token still accepted was issued within its maximum age (plus the clock skew allowed).
    windowMs: (config.accessTokenMaxAgeSeconds + 60) * 1000,
    logger,
  });
  /** The caller an `Authorization: Bearer` access token proves, for GraphQL and REST alike; throws when it proves none. */
  const authenticate = async (authorization: string): Promise<Caller> => {
    const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(authorization);
    if (!match?.[1]) {
      tokenFailures.inc({ reason: 'not_bearer' });
      throw new Error('not a bearer token');
    }
    try {
      const caller = await tokens.verify(match[1]);
      const refusal = revocations.refusal(caller, Date.now());
      if (refusal) throw new RevokedAccessError(refusal);
      return caller;
    } catch (error) {
      tokenFailures.inc({ reason: tokenFailureReason(error) });
      throw error;
    }
  };
  const pruning = setInterval(() => revocations.prune(Date.now()), 60_000);
  pruning.unref();
  const fetcher = keepAliveFetcher();
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(config.supergraphPath, 'utf8'),
    buildService: ({ name }) => {
      if (!isSubgraphName(name)) throw new Error(`the supergraph names an unknown subgraph "${name}"`);
      // Sessions are identity's: only it receives the client's cookies and may ask for one.
      const cookies = { relay: name === 'identity', logger };
      return new AssertingDataSource(name, `${config.subgraphUrls[name]}/graphql`, signer, cookies, fetcher, tracing);
    },
  });
  const limits = DEFAULT_REQUEST_LIMITS;
  const secureCookies = config.production || !isLoopbackHttp(config.publicUrl);
  const plugins: ApolloServerPlugin<GatewayContext>[] = [
    revocationFencePlugin(feed, logger),
    // Answers are per caller and never cached: no cache hints to collect on every field.
    ApolloServerPluginCacheControlDisabled(),
    ...(config.production ? [ApolloServerPluginLandingPageDisabled()] : []),
  ];
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    ...hardenedApolloOptions({
      production: config.production,
      limits,
      onUnexpected: (error) => logger.error({ err: error }, 'unexpected error at the gateway'),
    }),
    plugins,
  });
  await apollo.start();

  const app = createHttpApp({ metrics, tracing });
  mountIssuerProxy(app, config.subgraphUrls.identity, { signer, origin: originOf, secureCookies });
  mountRestProxy(app, { subgraphUrls: config.subgraphUrls, signer, authenticate, origin: originOf, secureCookies, logger });
  mountOpenApiDocument(app);
  mountAuthorizationServerProxy(app, config.subgraphUrls.identity, {
    signer,
    authenticate,
    origin: originOf,
    fenceRevocations: () => feed.fence(),
    logger,
  });
  app.use(
    '/graphql',
    express.json({ limit: '64kb' }),
    tokenLimitMiddleware(limits.maxTokens),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const correlationId = currentRequestContext()?.correlationId ?? 'none';
        const perRequest = {
          revocation: { signalled: false },
          ...(req.header('cookie') ? { cookieHeader: req.header('cookie') } : {}),
          setCookie: (request: CookieRequest) => res.append('Set-Cookie', serializeSetCookie(request, { secure: secureCookies })),
        };
        // Where the request came from travels in the signed assertion, never in a client header the subgraph trusts.
        const origin = originOf(req);
        const authorization = req.header('authorization');
        if (!authorization) return { caller: { ...ANONYMOUS, ...origin }, correlationId, ...perRequest };
        try {
          return { caller: { ...(await authenticate(authorization)), ...origin }, correlationId, ...perRequest };
        } catch (error) {
          logger.info({ reason: error instanceof Error ? error.message : 'invalid' }, 'refused an access token');
          throw new GraphQLError('The access token is invalid or expired.', {
            extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
          });
        }
      },
    }),
    jsonBodyErrors(),
  );

  const admin = createOperationsApp({
    logger,
    metrics,
    readiness: {
      ...Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, () => isReady(config.subgraphUrls[name])])),
      revocations: async () => feed.caughtUp,
    },
  });

  return {
    async listen() {
      // It answers only once it knows every revocation that can still matter.
      await feed.start();
      await feed.whenCaughtUp();
      const serving: Listening = await listen(app, config.port, config.host);
      const operating = await listen(admin, config.adminPort, config.adminHost).catch(async (error: unknown) => {
        await serving.close();
        throw error;
      });
      return {
        url: serving.url,
        adminUrl: operating.url,
        close: async () => {
          await Promise.all([serving.close(), operating.close()]);
        },
      };
    },
    stop: async () => {
      clearInterval(pruning);
      await feed.stop();
      await apollo.stop();
      fetcher.close();
      await tracing.shutdown();
    },
  };
}

/** Cookies go without `Secure` only in development on http://localhost or a loopback address. */
function isLoopbackHttp(publicUrl: string): boolean {
  const url = new URL(publicUrl);
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

function originOf(req: Request): { clientIp?: string; userAgent?: string } {
  return { ...(req.ip ? { clientIp: req.ip } : {}), ...userAgentOf(req.header('user-agent')) };
}

function userAgentOf(value: string | undefined): { userAgent?: string } {
  const trimmed = value?.trim().slice(0, 300);
  return trimmed ? { userAgent: trimmed } : {};
}

async function isReady(baseUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2_000) });
    return response.ok;
  } catch {
    return false;
  }
}
