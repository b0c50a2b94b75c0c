import { context as otelContext } from '@opentelemetry/api';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { createServer, type Server } from 'node:http';
import type { Logger } from '../logging/logger';
import type { ServiceMetrics } from '../metrics/metrics';
import { correlationIdFrom, CORRELATION_HEADER, runWithRequestContext } from '../logging/request-context';
import { SpanKind, startSpan } from '../tracing/spans';
import { contextFromHeaders } from '../tracing/trace-context';
import { NO_TRACING, type Tracing } from '../tracing/tracing';

export type ReadinessChecks = Record<string, () => Promise<boolean>>;

export interface HttpAppOptions {
  metrics: ServiceMetrics;
  /** A server span per request, child of the caller's W3C `traceparent` when it sent one. */
  tracing?: Tracing;
}

/** The HTTP shell every process shares: correlation id on each request and response, request metrics and spans. */
export function createHttpApp({ metrics, tracing = NO_TRACING }: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  // No conditional GETs worth a hash of every response body: what may be cached says so in Cache-Control.
  app.set('etag', false);
  app.set('trust proxy', 'loopback');
  app.use((req: Request, res: Response, next: NextFunction) => {
    const correlationId = correlationIdFrom(req.header(CORRELATION_HEADER));
    res.setHeader(CORRELATION_HEADER, correlationId);
    const stopTimer = metrics.httpDuration.startTimer();
    const span = startSpan(tracing, `${req.method} ${req.path}`, {
      kind: SpanKind.SERVER,
      parent: contextFromHeaders(req.headers),
      attributes: { 'http.request.method': req.method, 'url.path': req.path, 'messngr.correlation_id': correlationId },
    });
    res.on('finish', () => {
      const route = req.route?.path ?? req.baseUrl ?? 'unmatched';
      stopTimer({ route, status: String(res.statusCode) });
      span?.setAttributes({ 'http.route': route, 'http.response.status_code': res.statusCode });
      span?.end(res.statusCode >= 500);
    });
    res.on('close', () => span?.end());
    const serve = () => runWithRequestContext({ correlationId }, () => next());
    if (span) otelContext.with(span.context, serve);
    else serve();
  });
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  return app;
}

export interface OperatorRoutesOptions {
  logger: Logger;
  metrics: ServiceMetrics;
  readiness: ReadinessChecks;
}

/**
 * The operations port's routes: `/healthz`, `/readyz` (dependencies answer) and `/metrics`
 * (Prometheus), for operators only. Every process serves them on a port of its own
 * (loopback by default), never on the port that serves requests.
 */
export function mountOperatorRoutes(app: Express, { logger, metrics, readiness }: OperatorRoutesOptions): void {
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  mountReadiness(app, { logger, readiness });
  app.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });
}

/** An express app with only the operator routes: what the operations port serves. */
export function createOperationsApp(options: OperatorRoutesOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  mountOperatorRoutes(app, options);
  return app;
}

/** `/readyz`: 200 when every dependency answers, 503 naming the ones that do not. */
export function mountReadiness(app: Express, { logger, readiness }: Omit<OperatorRoutesOptions, 'metrics'>): void {
  app.get('/readyz', async (_req, res) => {
    const entries = await Promise.all(
      Object.entries(readiness).map(async ([name, check]) => [name, await check().catch(() => false)] as const),
    );
    const checks = Object.fromEntries(entries);
    const ready = entries.every(([, ok]) => ok);
    if (!ready) logger.warn({ checks }, 'not ready');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });
}

export interface Listening {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function listen(app: Express, port: number, host: string): Promise<Listening> {
  const server = createServer(app);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('listening on something other than a TCP port');
  return {
    server,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
