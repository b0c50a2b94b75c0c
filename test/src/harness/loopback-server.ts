import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Closes the server and every connection at once, pending responses included; again is a no-op. */
  stop(): Promise<void>;
}

/** A `node:http` server on a free loopback port; a handler that throws answers 500. */
export async function startLoopbackServer(
  handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
): Promise<LoopbackServer> {
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) return response.destroy();
      sendJson(response, 500, { error: 'server_error', error_description: String(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    }));
  return { url, stop };
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  response.end(JSON.stringify(body));
}

export function sendHtml(response: ServerResponse, status: number, text: string): void {
  const escaped = text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  response.end(`<!DOCTYPE html><html><body><h1>${escaped}</h1></body></html>`);
}

export function redirect(response: ServerResponse, location: string): void {
  response.writeHead(302, { location });
  response.end();
}

/** A form-encoded or JSON request body as string parameters (non-string JSON values are dropped). */
export async function readParameters(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const text = Buffer.concat(chunks).toString('utf8');
  if (!request.headers['content-type']?.includes('application/json')) return new URLSearchParams(text);
  const parsed: unknown = text ? JSON.parse(text) : {};
  const parameters = new URLSearchParams();
  if (parsed && typeof parsed === 'object') {
    for (const [key, value] of Object.entries(parsed)) if (typeof value === 'string') parameters.set(key, value);
  }
  return parameters;
}

/** The request URL, absolute against the server it reached. */
export function requestUrl(request: IncomingMessage, base: string): URL {
  return new URL(request.url ?? '/', base);
}
