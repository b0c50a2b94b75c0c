import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { REST_API_PREFIXES, type SubgraphName } from '@messngr/contracts';
import { ASSERTION_HEADER, AssertionSigner, AssertionVerifier, type Caller } from '@messngr/kit/auth';
import { generateSharedSecrets } from '@messngr/kit/config';
import { asTenantId } from '@messngr/kit/core';
import { encodeCookieRequests, SET_COOKIE_HEADER } from '@messngr/kit/http';
import { createLogger } from '@messngr/kit/logging';
import { mountOpenApiDocument, mountRestProxy } from './rest-proxy';

const kari: Caller = { tenantId: asTenantId('ten_a'), accountId: 'acc_kari', sessionId: 'ses_1', roles: [] };
const ORIGIN = { clientIp: '203.0.113.9', userAgent: 'Pixel 8' };

interface Received {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A subgraph that records what reached it and answers what the test says. */
async function standInSubgraph(answer: { current: (res: express.Response) => void }) {
  const received: Received[] = [];
  const app = express();
  app.use(express.text({ type: () => true }));
  app.use((req, res) => {
    received.push({
      method: req.method,
      url: req.originalUrl,
      headers: req.headers,
      body: typeof req.body === 'string' ? req.body : '',
    });
    answer.current(res);
  });
  const server = createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { received, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function listening(app: Express): Promise<{ server: Server; url: string }> {
  const server = createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A request exactly as written: fetch would normalize `..` before sending it. */
function rawRequest(base: string, method: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = httpRequest(`${base}`, { method, path, headers }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('the REST proxy at the gateway', () => {
  const secrets = generateSharedSecrets();
  const answer = { current: (res: express.Response) => void res.json({ ok: true }) };
  let identity: Awaited<ReturnType<typeof standInSubgraph>>;
  let device: Awaited<ReturnType<typeof standInSubgraph>>;
  let gateway: { server: Server; url: string };
  let orphan: { server: Server; url: string };
  const logged: string[] = [];

  function gatewayApp(subgraphUrls: Record<SubgraphName, string>, signer: AssertionSigner): Express {
    const app = express();
    mountRestProxy(app, {
      subgraphUrls,
      signer,
      authenticate: async (authorization) => {
        if (authorization === 'Bearer good-token') return kari;
        throw new Error('not a token of ours');
      },
      origin: () => ORIGIN,
      secureCookies: true,
      logger: createLogger({
        service: 'gateway',
        level: 'info',
        destination: { write: (line: string) => void logged.push(line) },
      }),
    });
    mountOpenApiDocument(app);
    return app;
  }

  beforeAll(async () => {
    identity = await standInSubgraph(answer);
    device = await standInSubgraph(answer);
    const signer = await AssertionSigner.fromJwk(secrets.GATEWAY_ASSERTION_PRIVATE_KEY);
    const closed = await listening(express());
    await new Promise((resolve) => closed.server.close(resolve));
    const urls = { tenant: closed.url, identity: identity.url, device: device.url, audit: closed.url };
    gateway = await listening(gatewayApp(urls, signer));
    orphan = await listening(gatewayApp({ ...urls, identity: closed.url, device: closed.url }, signer));
  });
  afterAll(async () => {
    for (const server of [identity.server, device.server, gateway.server, orphan.server]) {
      await new Promise((resolve) => server.close(resolve));
    }
  });
  beforeEach(() => {
    identity.received.splice(0);
    device.received.splice(0);
    logged.splice(0);
    answer.current = (res) => void res.json({ ok: true });
  });

  const bearer = { authorization: 'Bearer good-token' };
  const call = async (path: string, init: RequestInit = {}, base = gateway.url) => {
    const response = await fetch(`${base}${path}`, init);
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
  };

  it('forwards to the owning subgraph with an assertion for it alone, carrying the caller and where the request came from', async () => {
    answer.current = (res) =>
      void res
        .status(202)
        .setHeader('cache-control', 'no-store')
        .json({ flow: { id: 'lfl_1' } });
    const started = await call('/api/account/identities?x=1', {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json', cookie: 'msess=secret', 'x-forwarded-for': '10.0.0.1' },
      body: JSON.stringify({ method: 'EMAIL', email: 'kari@example.com' }),
    });
    expect(started).toMatchObject({ status: 202, body: { flow: { id: 'lfl_1' } } });
    expect(started.headers.get('content-type')).toMatch(/^application\/json/);
    expect(started.headers.get('cache-control')).toBe('no-store');

    expect(identity.received).toHaveLength(1);
    const [forwarded] = identity.received;
    expect(forwarded).toMatchObject({
      method: 'POST',
      url: '/api/account/identities?x=1',
      body: JSON.stringify({ method: 'EMAIL', email: 'kari@example.com' }),
    });
    expect(forwarded?.headers['content-type']).toBe('application/json');
    // Nothing else of the client's request: no cookie, no authorization, no forwarded-for.
    for (const header of ['cookie', 'authorization', 'x-forwarded-for']) expect(forwarded?.headers[header]).toBeUndefined();
    const assertion = String(forwarded?.headers[ASSERTION_HEADER]);
    const forIdentity = await AssertionVerifier.fromJwk(secrets.GATEWAY_ASSERTION_PUBLIC_KEY, 'identity');
    expect(await forIdentity.verify(assertion)).toEqual({ ...kari, ...ORIGIN });
    const forDevice = await AssertionVerifier.fromJwk(secrets.GATEWAY_ASSERTION_PUBLIC_KEY, 'device');
    await expect(forDevice.verify(assertion)).rejects.toThrow();
    expect(device.received).toEqual([]);
  });

  it.each(REST_API_PREFIXES.map(({ path, subgraph }) => [path, subgraph] as const))(
    '%s goes to the %s subgraph, deeper paths and DELETE too',
    async (path, subgraph) => {
      const target = subgraph === 'identity' ? identity : device;
      expect((await call(`${path}/abc_1`, { method: 'DELETE', headers: bearer })).status).toBe(200);
      expect(target.received.map(({ method, url, body }) => ({ method, url, body }))).toEqual([
        { method: 'DELETE', url: `${path}/abc_1`, body: '' },
      ]);
      const verifier = await AssertionVerifier.fromJwk(secrets.GATEWAY_ASSERTION_PUBLIC_KEY, subgraph);
      await expect(verifier.verify(String(target.received[0]?.headers[ASSERTION_HEADER]))).resolves.toMatchObject(kari);
    },
  );

  it.each<[string, Record<string, string>, string]>([
    ['without a token', {}, 'Bearer'],
    ['with a token that does not verify', { authorization: 'Bearer forged' }, 'Bearer error="invalid_token"'],
    ['with another scheme', { authorization: 'Basic a2FyaTpwdw==' }, 'Bearer error="invalid_token"'],
  ])('answers 401 %s, and forwards nothing', async (_what, headers, challenge) => {
    const refused = await call('/api/account/devices', { headers });
    expect(refused).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED', message: expect.any(String) } } });
    expect(refused.headers.get('www-authenticate')).toBe(challenge);
    expect(device.received).toEqual([]);
  });

  it.each<[string, RequestInit, number, string]>([
    [
      'a body over 16 kB',
      {
        method: 'POST',
        headers: { ...bearer, 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'x'.repeat(20_000) }),
      },
      413,
      'REQUEST_TOO_LARGE',
    ],
    [
      'a body that is not JSON',
      { method: 'POST', headers: { ...bearer, 'content-type': 'text/plain' }, body: 'EMAIL' },
      415,
      'BAD_REQUEST',
    ],
    ['a method the API does not have', { method: 'PUT', headers: bearer }, 405, 'BAD_REQUEST'],
  ])('refuses %s itself, in the REST shape', async (_what, init, status, code) => {
    const refused = await call('/api/account/identities', init);
    expect(refused).toMatchObject({ status, body: { error: { code } } });
    expect(identity.received).toEqual([]);
  });

  it.each([
    '/api/account/identities/../../graphql',
    '/api/account/identities/..%2F..%2Fgraphql',
    '/api/account/identities/%2e%2e/%2e%2e/graphql',
    '/api/account/devices/dev_1/..',
    '/api/account/devices/a%00b',
  ])('names no other path of a subgraph: %s is not found', async (path) => {
    const refused = await rawRequest(gateway.url, 'GET', path, bearer);
    expect(refused.status).toBe(404);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect([...identity.received, ...device.received]).toEqual([]);
  });

  it('turns identity’s request for a flow-binding cookie into Set-Cookie, and nothing else it asks for', async () => {
    answer.current = (res) => {
      res.setHeader(
        SET_COOKIE_HEADER,
        encodeCookieRequests([
          { name: 'mfl_abc', value: 'binding', domain: null, maxAgeSeconds: 600, callbackPath: '/t/acme/callback' },
          { name: 'msess', value: 'refresh', domain: null, maxAgeSeconds: 600 },
          { name: 'mfl_nopath', value: 'x', domain: null, maxAgeSeconds: 600 },
        ]),
      );
      res.status(202).json({ flow: { id: 'pfl_1' } });
    };
    const started = await call('/api/account/identities', {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: '{"method":"PROVIDER"}',
    });
    expect(started.status).toBe(202);
    expect(started.headers.getSetCookie()).toEqual([
      'mfl_abc=binding; Path=/t/acme/callback; Max-Age=600; HttpOnly; SameSite=Lax; Secure',
    ]);
    expect(started.headers.get(SET_COOKIE_HEADER)).toBeNull();

    // The device subgraph owns no cookie: whatever it asks for is ignored.
    expect((await call('/api/account/devices', { headers: bearer })).headers.getSetCookie()).toEqual([]);
  });

  it('passes a subgraph’s refusal through as it is, its challenge and Retry-After too', async () => {
    answer.current = (res) =>
      void res
        .status(429)
        .setHeader('retry-after', '90')
        .setHeader('x-internal', 'secret')
        .json({ error: { code: 'RATE_LIMITED' } });
    const refused = await call('/api/account/identities', {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(refused).toMatchObject({ status: 429, body: { error: { code: 'RATE_LIMITED' } } });
    expect(refused.headers.get('retry-after')).toBe('90');
    expect(refused.headers.get('x-internal')).toBeNull();
  });

  it('answers in the REST shape when the subgraph answers something else (a framework page)', async () => {
    answer.current = (res) => void res.status(404).type('html').send('<pre>Cannot GET</pre>');
    expect(await call('/api/account/devices/nothing/here', { headers: bearer })).toMatchObject({
      status: 404,
      body: { error: { code: 'NOT_FOUND' } },
    });
    answer.current = (res) => void res.status(500).type('text').send('stack trace');
    expect(await call('/api/account/devices', { headers: bearer })).toMatchObject({
      status: 502,
      body: { error: { code: 'INTERNAL_SERVER_ERROR' } },
    });
  });

  it('answers 502 in the REST shape when the subgraph cannot be reached', async () => {
    const unreachable = await call('/api/account/identities', { headers: bearer }, orphan.url);
    expect(unreachable).toMatchObject({ status: 502, body: { error: { code: 'INTERNAL_SERVER_ERROR' } } });
    expect(logged.join('\n')).toContain('a REST call found no subgraph');
  });

  it('serves the OpenAPI document to anyone, with every prefix it proxies', async () => {
    const served = await call('/api/openapi.json');
    expect(served.status).toBe(200);
    expect(served.body).toMatchObject({ openapi: '3.1.0' });
    const paths = Object.keys(served.body['paths'] as Record<string, unknown>);
    for (const { path } of REST_API_PREFIXES) expect(paths).toContain(path);
  });
});
