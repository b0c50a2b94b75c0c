import { execFileSync } from 'node:child_process';
import { type LookupAddress, type lookup as dnsLookup } from 'node:dns';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOutboundFetch, OutboundRequestError, type OutboundFailure, type OutboundPolicy } from './outbound-fetch';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

interface TestServer {
  port: number;
  /** TCP connections accepted, on any of the server's addresses. */
  connections: number;
  /** Request lines seen, e.g. 'GET /hello'. */
  requests: string[];
  close(): Promise<void>;
}

/** One handler served on 127.0.0.1 and [::1] at the same port, loopback only. */
async function serve(handler: Handler, tls?: { key: string; cert: string }): Promise<TestServer> {
  const servers: http.Server[] = [];
  const state: TestServer = {
    port: 0,
    connections: 0,
    requests: [],
    close: async () => {
      for (const server of servers) server.closeAllConnections();
      await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
    },
  };
  const listener: http.RequestListener = (req, res) => {
    state.requests.push(`${req.method} ${req.url}`);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handler(req, res, Buffer.concat(chunks).toString('utf8')));
  };
  for (const host of ['127.0.0.1', '::1']) {
    const server = tls ? https.createServer(tls, listener) : http.createServer(listener);
    server.on('connection', () => (state.connections += 1));
    await new Promise<void>((done) => server.listen({ host, port: state.port, ipv6Only: true }, done));
    state.port = (server.address() as AddressInfo).port;
    servers.push(server);
  }
  return state;
}

const loopback: OutboundPolicy = { httpsOnly: false, allowedNetworks: ['127.0.0.0/8', '::1'] };
const strict: OutboundPolicy = { httpsOnly: false, allowedNetworks: [] };

async function failure(promise: Promise<unknown>): Promise<OutboundRequestError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(OutboundRequestError);
  return error as OutboundRequestError;
}

async function reason(promise: Promise<unknown>): Promise<OutboundFailure> {
  return (await failure(promise)).reason;
}

/** A dns.lookup stand-in that answers every name with fixed addresses and records its options. */
function fixedLookup(addresses: string[], calls: unknown[] = []): typeof dnsLookup {
  const answer: LookupAddress[] = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  const fake = (hostname: string, options: unknown, callback: (error: null, found: LookupAddress[]) => void) => {
    calls.push({ hostname, options });
    process.nextTick(callback, null, answer);
  };
  return fake as unknown as typeof dnsLookup;
}

const echo: Handler = (req, res, body) => {
  res.setHeader('content-type', 'application/json');
  res.setHeader('x-echo', 'yes');
  res.end(
    JSON.stringify({
      method: req.method,
      url: req.url,
      host: req.headers.host,
      contentType: req.headers['content-type'] ?? null,
      body,
    }),
  );
};

describe('outbound fetch against allowed loopback', () => {
  let server: TestServer;
  beforeAll(async () => (server = await serve(echo)));
  afterAll(() => server.close());

  it('answers a GET with status, headers, body and final url', async () => {
    const response = await createOutboundFetch(loopback)(`http://127.0.0.1:${server.port}/hello?x=1`);
    expect(response.status).toBe(200);
    expect(response.statusText).toBe('OK');
    expect(response.headers.get('x-echo')).toBe('yes');
    expect(response.url).toBe(`http://127.0.0.1:${server.port}/hello?x=1`);
    expect(await response.json()).toMatchObject({ method: 'GET', url: '/hello?x=1', body: '' });
  });

  it('posts a form with the form content-type, and the server echoes the body', async () => {
    const response = await createOutboundFetch(loopback)(new URL(`http://127.0.0.1:${server.port}/token`), {
      method: 'POST',
      headers: new Headers({ accept: 'application/json' }),
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'a b&c' }),
    });
    expect(await response.json()).toEqual({
      method: 'POST',
      url: '/token',
      host: `127.0.0.1:${server.port}`,
      contentType: 'application/x-www-form-urlencoded;charset=UTF-8',
      body: 'grant_type=authorization_code&code=a+b%26c',
    });
  });

  it('sends string and byte bodies, keeping a given content-type', async () => {
    const outbound = createOutboundFetch(loopback);
    const url = `http://127.0.0.1:${server.port}/`;
    const text = await (await outbound(url, { method: 'post', body: 'plain' })).json();
    expect(text).toMatchObject({ method: 'POST', contentType: 'text/plain;charset=UTF-8', body: 'plain' });
    const bytes = new TextEncoder().encode('{"a":1}');
    const json = await (
      await outbound(url, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: bytes })
    ).json();
    expect(json).toMatchObject({ method: 'PUT', contentType: 'application/json', body: '{"a":1}' });
  });

  it('reaches the IPv6 and IPv4-mapped loopback literals once they are allow-listed', async () => {
    const before = server.connections;
    const outbound = createOutboundFetch(loopback);
    expect((await outbound(`http://[::1]:${server.port}/`)).status).toBe(200);
    expect((await outbound(`http://[::ffff:127.0.0.1]:${server.port}/`)).status).toBe(200);
    expect(server.connections).toBe(before + 2);
  });

  it('connects to the address the injected lookup returned, under the requested name', async () => {
    const calls: unknown[] = [];
    const outbound = createOutboundFetch({ ...loopback, lookup: fixedLookup(['127.0.0.1'], calls) });
    const response = await outbound(`http://idp.test:${server.port}/.well-known/openid-configuration`);
    expect(await response.json()).toMatchObject({ host: `idp.test:${server.port}`, url: '/.well-known/openid-configuration' });
    expect(calls).toEqual([{ hostname: 'idp.test', options: expect.objectContaining({ all: true }) }]);
  });

  it('fits openid-client customFetch: its call shape and its type', async () => {
    // Mirrors openid-client v6 `CustomFetch` (kit does not depend on openid-client); tsc checks the assignment.
    type CustomFetch = (
      url: string,
      options: {
        body: ArrayBuffer | null | ReadableStream | string | Uint8Array | undefined | URLSearchParams;
        duplex?: 'half';
        headers: Record<string, string>;
        method: string;
        redirect: 'manual';
        signal?: AbortSignal;
      },
    ) => Promise<Response>;
    const customFetch: CustomFetch = createOutboundFetch(loopback);
    const response = await customFetch(`http://127.0.0.1:${server.port}/jwks`, {
      body: undefined,
      headers: { accept: 'application/json' },
      method: 'GET',
      redirect: 'manual',
      signal: AbortSignal.timeout(5000),
    });
    expect(await response.json()).toMatchObject({ url: '/jwks' });
  });
});

describe('outbound fetch refuses addresses', () => {
  let server: TestServer;
  beforeAll(async () => (server = await serve(echo)));
  afterAll(() => server.close());

  it.each(['localhost', '127.0.0.1', '0x7f000001', '[::1]', '[::ffff:127.0.0.1]', '127.1'])(
    'refuses loopback %s when it is not allow-listed, without connecting',
    async (host) => {
      const error = await failure(createOutboundFetch(strict)(`http://${host}:${server.port}/`));
      expect(error.reason).toBe('REFUSED_ADDRESS');
      expect(error.message).toBe('Outbound request refused: the host is not at an allowed address.');
      expect(server.connections).toBe(0);
      expect(server.requests).toEqual([]);
    },
  );

  it.each(['10.0.0.1', '169.254.169.254', '192.168.1.1', '100.64.0.1', '[fe80::1]', '[fc00::1]', '0.0.0.0', '[::]'])(
    'refuses the private literal %s before connecting',
    async (host) => {
      // A connection attempt would end as TIMEOUT or NETWORK, not as REFUSED_ADDRESS.
      const outbound = createOutboundFetch({ ...strict, timeoutMs: 30_000 });
      const started = Date.now();
      expect(await reason(outbound(`http://${host}/.well-known/openid-configuration`))).toBe('REFUSED_ADDRESS');
      expect(Date.now() - started).toBeLessThan(1000);
    },
  );

  it('refuses a name that resolves to a private address, without naming the address', async () => {
    const error = await failure(createOutboundFetch({ ...strict, lookup: fixedLookup(['10.1.2.3']) })('https://idp.example/'));
    expect(error.reason).toBe('REFUSED_ADDRESS');
    expect(error.message).not.toContain('10.1.2.3');
  });

  it.each([
    [['93.184.216.34', '10.0.0.5']],
    [['10.0.0.5', '93.184.216.34']],
    [['2606:4700::1111', 'fd00::1']],
    [['93.184.216.34', '::ffff:169.254.169.254']],
  ])('refuses a name when any of its addresses is not allowed: %j', async (addresses) => {
    const outbound = createOutboundFetch({ ...strict, lookup: fixedLookup(addresses) });
    expect(await reason(outbound('https://idp.example/'))).toBe('REFUSED_ADDRESS');
  });

  it('refuses a name resolving to loopback even when the server is really there', async () => {
    const outbound = createOutboundFetch({ ...strict, lookup: fixedLookup(['127.0.0.1']) });
    expect(await reason(outbound(`http://idp.test:${server.port}/`))).toBe('REFUSED_ADDRESS');
    expect(server.connections).toBe(0);
  });

  it('reports a failed DNS lookup as NETWORK', async () => {
    const failing = ((_name: string, _options: unknown, callback: (error: Error) => void) => {
      process.nextTick(callback, Object.assign(new Error('getaddrinfo ENOTFOUND idp.invalid'), { code: 'ENOTFOUND' }));
    }) as unknown as typeof dnsLookup;
    const error = await failure(createOutboundFetch({ ...strict, lookup: failing })('https://idp.invalid/'));
    expect(error.reason).toBe('NETWORK');
    expect(error.message).toBe('Outbound request failed.');
    expect(await reason(createOutboundFetch({ ...strict, lookup: fixedLookup([]) })('https://idp.invalid/'))).toBe('NETWORK');
  });
});

describe('outbound fetch schemes and URLs', () => {
  let server: TestServer;
  beforeAll(async () => (server = await serve(echo)));
  afterAll(() => server.close());

  it('refuses plain http when httpsOnly, without connecting', async () => {
    const outbound = createOutboundFetch({ ...loopback, httpsOnly: true });
    expect(await reason(outbound(`http://127.0.0.1:${server.port}/`))).toBe('INSECURE_SCHEME');
    expect(server.connections).toBe(0);
  });

  it.each(['not a url', 'ftp://127.0.0.1/', 'file:///etc/passwd', 'javascript:alert(1)', 'http://user:pw@127.0.0.1/'])(
    'refuses %j as INVALID_URL',
    async (url) => {
      expect(await reason(createOutboundFetch(loopback)(url))).toBe('INVALID_URL');
    },
  );

  it('reports a refused connection as NETWORK with a fixed message', async () => {
    const closed = await serve(echo);
    await closed.close();
    const error = await failure(createOutboundFetch(loopback)(`http://127.0.0.1:${closed.port}/`));
    expect(error.reason).toBe('NETWORK');
    expect(error.message).toBe('Outbound request failed.');
    expect(error.message).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
  });

  it('validates the policy when it is created', () => {
    expect(() => createOutboundFetch({ ...strict, allowedNetworks: ['127.0.0.0/8', '10.0.0.0/40'] })).toThrow('"10.0.0.0/40"');
    expect(() => createOutboundFetch({ ...strict, allowedNetworks: ['intranet'] })).toThrow('"intranet"');
    expect(() => createOutboundFetch({ ...strict, timeoutMs: 0 })).toThrow('timeoutMs');
    expect(() => createOutboundFetch({ ...strict, maxResponseBytes: Number.NaN })).toThrow('maxResponseBytes');
  });
});

describe('outbound fetch over https', () => {
  let dir: string;
  let cert: string;
  let server: TestServer;

  beforeAll(async () => {
    // node:crypto cannot issue X.509 certificates; the openssl CLI can.
    dir = mkdtempSync(join(tmpdir(), 'outbound-fetch-'));
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1'],
        ...['-subj', '/CN=idp.test', '-addext', 'subjectAltName=DNS:idp.test,IP:127.0.0.1'],
        ...['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    server = await serve(echo, { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('trusts a self-signed certificate passed in ca, with httpsOnly', async () => {
    const outbound = createOutboundFetch({ ...loopback, httpsOnly: true, ca: cert });
    const response = await outbound(`https://127.0.0.1:${server.port}/secure`);
    expect(await response.json()).toMatchObject({ url: '/secure' });
  });

  it('checks the certificate against the requested name when a lookup resolves it', async () => {
    const outbound = createOutboundFetch({ ...loopback, httpsOnly: true, ca: [cert], lookup: fixedLookup(['127.0.0.1']) });
    expect((await outbound(`https://idp.test:${server.port}/`)).status).toBe(200);
  });

  it('fails as NETWORK when the certificate is not trusted', async () => {
    const before = server.connections;
    expect(await reason(createOutboundFetch(loopback)(`https://127.0.0.1:${server.port}/`))).toBe('NETWORK');
    expect(server.connections).toBe(before + 1);
  });
});

describe('outbound fetch limits', () => {
  let server: TestServer;
  beforeAll(
    async () =>
      (server = await serve((req, res) => {
        if (req.url === '/silent') return; // never answers
        if (req.url === '/stall') {
          res.writeHead(200, { 'content-length': '100' });
          res.write('partial');
          return;
        }
        if (req.url === '/declared') {
          res.writeHead(200, { 'content-length': '2000' }); // and no body: only the header can trip the limit
          res.flushHeaders();
          return;
        }
        if (req.url?.startsWith('/stream/')) {
          const size = Number(req.url.slice('/stream/'.length));
          res.writeHead(200, { 'content-type': 'application/octet-stream' }); // chunked, no content-length
          for (let sent = 0; sent < size; sent += 100) res.write(Buffer.alloc(Math.min(100, size - sent), 'a'));
          res.end();
          return;
        }
        res.end('ok');
      })),
  );
  afterAll(() => server.close());

  it('times out on a server that never answers', async () => {
    const started = Date.now();
    const error = await failure(createOutboundFetch({ ...loopback, timeoutMs: 200 })(`http://127.0.0.1:${server.port}/silent`));
    expect(error.reason).toBe('TIMEOUT');
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('times out on a body that stalls after the headers', async () => {
    expect(await reason(createOutboundFetch({ ...loopback, timeoutMs: 200 })(`http://127.0.0.1:${server.port}/stall`))).toBe(
      'TIMEOUT',
    );
  });

  it('surfaces init.signal aborts as TIMEOUT, and does not connect when already aborted', async () => {
    const outbound = createOutboundFetch({ ...loopback, timeoutMs: 30_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    expect(await reason(outbound(`http://127.0.0.1:${server.port}/silent`, { signal: controller.signal }))).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2000);
    const before = server.connections;
    expect(await reason(outbound(`http://127.0.0.1:${server.port}/`, { signal: AbortSignal.abort() }))).toBe('TIMEOUT');
    expect(server.connections).toBe(before);
  });

  it('refuses a declared content-length over the limit before any body arrives', async () => {
    const outbound = createOutboundFetch({ ...loopback, maxResponseBytes: 1000, timeoutMs: 2000 });
    expect(await reason(outbound(`http://127.0.0.1:${server.port}/declared`))).toBe('TOO_LARGE');
  });

  it('refuses a streamed body over the limit and accepts one at the limit', async () => {
    const outbound = createOutboundFetch({ ...loopback, maxResponseBytes: 1000 });
    expect(await reason(outbound(`http://127.0.0.1:${server.port}/stream/1001`))).toBe('TOO_LARGE');
    const response = await outbound(`http://127.0.0.1:${server.port}/stream/1000`);
    expect(response.headers.get('content-length')).toBeNull();
    expect((await response.arrayBuffer()).byteLength).toBe(1000);
  });
});

describe('outbound fetch redirects', () => {
  let server: TestServer;
  beforeAll(
    async () =>
      (server = await serve((req, res, body) => {
        const redirect = (status: number, location: string) => res.writeHead(status, { location }).end('moved');
        const url = req.url ?? '';
        if (url === '/cross-host') return redirect(302, `http://localhost:${server.port}/target`);
        if (url === '/cross-port') return redirect(302, `http://127.0.0.1:${server.port + 1}/target`);
        if (url === '/cross-scheme') return redirect(302, `https://127.0.0.1:${server.port}/target`);
        if (url === '/same') return redirect(302, '/target?from=same');
        if (url === '/see-other') return redirect(303, '/target');
        if (url === '/temporary') return redirect(307, '/target');
        if (url === '/not-modified') return res.writeHead(304).end();
        if (url === '/no-location') return res.writeHead(302).end('nowhere');
        if (url.startsWith('/loop/')) return redirect(302, `/loop/${Number(url.slice('/loop/'.length)) + 1}`);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ method: req.method, url, body, contentType: req.headers['content-type'] ?? null }));
      })),
  );
  afterAll(() => server.close());
  const at = (path: string) => `http://127.0.0.1:${server.port}${path}`;

  it.each(['/cross-host', '/cross-port', '/cross-scheme'])(
    'refuses the cross-origin redirect %s without following it',
    async (path) => {
      server.requests.length = 0;
      expect(await reason(createOutboundFetch(loopback)(at(path)))).toBe('REDIRECT_REFUSED');
      expect(server.requests).toEqual([`GET ${path}`]);
    },
  );

  it('follows a same-origin redirect and reports the final url', async () => {
    const response = await createOutboundFetch(loopback)(at('/same'));
    expect(response.status).toBe(200);
    expect(response.url).toBe(at('/target?from=same'));
    expect(await response.json()).toMatchObject({ method: 'GET', url: '/target?from=same' });
  });

  it('turns a POST into a GET on 303 and keeps it on 307', async () => {
    const outbound = createOutboundFetch(loopback);
    const form = () => new URLSearchParams({ a: '1' });
    expect(await (await outbound(at('/see-other'), { method: 'POST', body: form() })).json()).toMatchObject({
      method: 'GET',
      body: '',
      contentType: null,
    });
    expect(await (await outbound(at('/temporary'), { method: 'POST', body: form() })).json()).toMatchObject({
      method: 'POST',
      body: 'a=1',
    });
  });

  it('stops after maxRedirects', async () => {
    server.requests.length = 0;
    expect(await reason(createOutboundFetch({ ...loopback, maxRedirects: 2 })(at('/loop/0')))).toBe('REDIRECT_REFUSED');
    expect(server.requests).toEqual(['GET /loop/0', 'GET /loop/1', 'GET /loop/2']);
    expect(await reason(createOutboundFetch({ ...loopback, maxRedirects: 0 })(at('/same')))).toBe('REDIRECT_REFUSED');
  });

  it('returns the 3xx as is with redirect: manual, even cross-origin', async () => {
    const response = await createOutboundFetch(loopback)(at('/cross-host'), { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`http://localhost:${server.port}/target`);
    expect(await response.text()).toBe('moved');
  });

  it('returns a 3xx that is not a redirect with a Location as is', async () => {
    const outbound = createOutboundFetch(loopback);
    const notModified = await outbound(at('/not-modified'));
    expect(notModified.status).toBe(304);
    expect(notModified.body).toBeNull();
    const noLocation = await outbound(at('/no-location'));
    expect(noLocation.status).toBe(302);
    expect(await noLocation.text()).toBe('nowhere');
  });

  it('refuses any redirect with redirect: error', async () => {
    server.requests.length = 0;
    expect(await reason(createOutboundFetch(loopback)(at('/same'), { redirect: 'error' }))).toBe('REDIRECT_REFUSED');
    expect(server.requests).toEqual(['GET /same']);
  });
});
