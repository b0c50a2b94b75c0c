import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { createServer, type Server } from 'node:http';
import type { Logger } from '../logging/logger';
import type { ServiceMetrics } from '../metrics/metrics';
import { correlationIdFrom, CORRELATION_HEADER, runWithRequestContext } from '../logging/request-context';

export type ReadinessChecks = Record<string, () => Promise<boolean>>;

export interface HttpAppOptions {
  metrics: ServiceMetrics;
}

/** The HTTP shell every process shares: correlation id on each request and response, request metrics. */
export function createHttpApp({ metrics }: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use((req: Request, res: Response, next: NextFunction) => {
    const correlationId = correlationIdFrom(req.header(CORRELATION_HEADER));
    res.setHeader(CORRELATION_HEADER, correlationId);
    const stopTimer = metrics.httpDuration.startTimer();
    res.on('finish', () => stopTimer({ route: req.route?.path ?? req.baseUrl ?? 'unmatched', status: String(res.statusCode) }));
    runWithRequestContext({ correlationId }, () => next());
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
 * `/readyz` (dependencies answer) and `/metrics` (Prometheus): for operators only. Subgraphs
 * serve them on their own (internal) port; the gateway on its separate admin port.
 */
export function mountOperatorRoutes(app: Express, { logger, metrics, readiness }: OperatorRoutesOptions): void {
  app.get('/readyz', async (_req, res) => {
    const entries = await Promise.all(
      Object.entries(readiness).map(async ([name, check]) => [name, await check().catch(() => false)] as const),
    );
    const checks = Object.fromEntries(entries);
    const ready = entries.every(([, ok]) => ok);
    if (!ready) logger.warn({ checks }, 'not ready');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });
  app.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
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
