import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOutboundFetch, type OutboundFetch } from '@messngr/kit/http';
import { checkIdentityProvider, type ProviderCheckReport } from './check-identity-provider';

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map(closeServer));
});

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** A loopback HTTP server counting its requests; closed after each test. */
async function serve(handler: RequestListener): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

function sendJson(body: unknown, status = 200): RequestListener {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
}

function discoveryDocument(issuer: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: `${issuer}/auth`,
    token_endpoint: `${issuer}/token`,
    userinfo_endpoint: `${issuer}/me`,
    jwks_uri: `${issuer}/jwks`,
    code_challenge_methods_supported: ['S256'],
    scopes_supported: ['openid', 'email'],
    authorization_response_iss_parameter_supported: true,
    ...overrides,
  };
}

/** An OP serving `document(ownUrl)` at the well-known path, and 404 elsewhere. */
async function serveDiscovery(document: (url: string) => unknown): Promise<{ url: string; requests: string[] }> {
  let ownUrl = '';
  const served = await serve((req, res) => {
    if (req.url === '/.well-known/openid-configuration') return sendJson(document(ownUrl))(req, res);
    res.writeHead(404).end();
  });
  ownUrl = served.url;
  return served;
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await closeServer(server);
  return `http://127.0.0.1:${port}`;
}

/** What the tenant subgraph uses outside production in tests: loopback allow-listed explicitly. */
const loopbackFetch = (timeoutMs = 5_000) => createOutboundFetch({ httpsOnly: false, allowedNetworks: ['127.0.0.0/8', '::1'], timeoutMs });
const loopback = { allowInsecureLoopback: true, fetch: loopbackFetch() };
const codes = (report: ProviderCheckReport) => report.problems.map((problem) => problem.code);

describe('checkIdentityProvider with discovery', () => {
  it('accepts a valid document and reports what it advertises', async () => {
    const op = await serveDiscovery((url) => discoveryDocument(url));

    const report = await checkIdentityProvider({ kind: 'OIDC', issuer: op.url, useDiscovery: true }, loopback);

    expect(report).toEqual({
      ok: true,
      problems: [],
      discovered: {
        issuer: op.url,
        authorizationEndpoint: `${op.url}/auth`,
        tokenEndpoint: `${op.url}/token`,
        userinfoEndpoint: `${op.url}/me`,
        jwksUri: `${op.url}/jwks`,
        codeChallengeMethodsSupported: ['S256'],
        scopesSupported: ['openid', 'email'],
        authorizationResponseIssParameterSupported: true,
      },
    });
    expect(op.requests).toEqual(['/.well-known/openid-configuration']);
  });

  it('removes a trailing slash from the issuer before appending the well-known path, but compares the issuer exactly', async () => {
    const op = await serveDiscovery((url) => discoveryDocument(url));

    const report = await checkIdentityProvider({ kind: 'OIDC', issuer: `${op.url}/`, useDiscovery: true }, loopback);

    expect(op.requests).toEqual(['/.well-known/openid-configuration']);
    expect(codes(report)).toEqual(['ISSUER_MISMATCH']);
  });

  it('reports an issuer that differs from the configured one', async () => {
    const op = await serveDiscovery((url) => discoveryDocument(url, { issuer: 'https://other.example.com' }));

    const report = await checkIdentityProvider({ kind: 'OIDC', issuer: op.url, useDiscovery: true }, loopback);

    expect(report.ok).toBe(false);
    expect(codes(report)).toEqual(['ISSUER_MISMATCH']);
    expect(report.discovered?.issuer).toBe('https://other.example.com');
  });

  it('reports a body that is not JSON', async () => {
    const op = await serve(sendJson('<html>not json</html>'));

    const report = await checkIdentityProvider({ kind: 'OIDC', issuer: op.url, useDiscovery: true }, loopback);

    expect(report).toMatchObject({ ok: false, discovered: null, problems: [{ code: 'INVALID_JSON' }] });
    expect(report.problems[0]!.message).not.toContain('html');
  });

  it('reports JSON that is not an object', async () => {
    const op = await serve(sendJson(['issuer']));

    const report = await checkIdentityProvider({ kind: 'OIDC', issuer: op.url, useDiscovery: true }, loopback);

    expect(codes(report)).toEqual(['INVALID_DOCUMENT']);
    expect(report.discovered).toBeNull();
  });

  it('reports a failed request as unreachable, without its status or body', async () => {
    const op = await serve(sendJson({ error: 'secret stack trace' }, 500));

    const report = await checkIdentityProvider({ kind: 'OIDC', issuer: op.url, useDiscovery: true }, loopback);

    expect(report.problems).toEqual([
      { code: 'UNREACHABLE', message: 'The provider could not be reached.', url: `${op.url}/.well-known/openid-configuration` },
    ]);
  });

  it('requires PKCE with S256, also when the document is silent about it', async () => {
    const plainOnly = await serveDiscovery((url) => discoveryDocument(url, { code_challenge_methods_supported: ['plain'] }));
    const silent = await serveDiscovery((url) => discoveryDocument(url, { code_challenge_methods_supported: undefined }));

    for (const op of [plainOnly, silent]) {
      const report = await checkIdentityProvider({ kind: 'OIDC', issuer: op.url, useDiscovery: true }, loopback);
      expect(codes(report)).toEqual(['PKCE_S256_UNSUPPORTED']);
    }
  });

  it('reports each missing required field', async () => {
    const op = await serveDiscovery((url) =>
      discoveryDocument(url, {
        authorization_endpoint: undefined,
        token_endpoint: 42,
        jwks_uri: '',
        userinfo_endpoint: undefined,
      }),
    );

    const report = await checkIdentityProvider({ kind: 'OIDC', issuer: op.url, useDiscovery: true }, loopback);

    expect(codes(report)).toEqual(['MISSING_ENDPOINT', 'MISSING_ENDPOINT', 'MISSING_ENDPOINT']);
    expect(report.problems.map((problem) => problem.message).join(' ')).toMatch(
      /authorization_endpoint.*token_endpoint.*jwks_uri/,
    );
    expect(report.discovered).toMatchObject({ issuer: op.url, authorizationEndpoint: null, tokenEndpoint: null, jwksUri: null });
  });

  it('reports discovered endpoints that are not allowed URLs', async () => {
    const op = await serveDiscovery((url) => discoveryDocument(url, { token_endpoint: 'http://idp.example.com/token' }));

    const report = await checkIdentityProvider({ kind: 'OIDC', issuer: op.url, useDiscovery: true }, loopback);

    expect(report.problems).toEqual([{ code: 'INSECURE_URL', message: expect.any(String), url: 'http://idp.example.com/token' }]);
  });

  it('refuses a document larger than 256 KiB, declared or streamed', async () => {
    const padding = 'x'.repeat(300 * 1024);
    const declared = await serveDiscovery((url) => discoveryDocument(url, { padding }));
    const streamed = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      for (let i = 0; i < 300; i++) res.write(' '.repeat(1024));
      res.end('{}');
    });

    for (const op of [declared, streamed]) {
      const report = await checkIdentityProvider({ kind: 'OIDC', issuer: op.url, useDiscovery: true }, loopback);
      expect(report).toMatchObject({ ok: false, discovered: null, problems: [{ code: 'INVALID_DOCUMENT' }] });
    }
  });

  it('reports a closed port as unreachable', async () => {
    const issuer = await closedPortUrl();

    const report = await checkIdentityProvider({ kind: 'OIDC', issuer, useDiscovery: true }, loopback);

    expect(report.problems).toEqual([
      { code: 'UNREACHABLE', message: 'The provider could not be reached.', url: `${issuer}/.well-known/openid-configuration` },
    ]);
  });

  it('gives up on a slow server after the timeout', async () => {
    const op = await serve((_req, res) => {
      const timer = setTimeout(() => sendJson({})(_req, res), 1_000);
      res.on('close', () => clearTimeout(timer));
    });

    const started = Date.now();
    const report = await checkIdentityProvider(
      { kind: 'OIDC', issuer: op.url, useDiscovery: true },
      { ...loopback, fetch: loopbackFetch(200) },
    );

    expect(codes(report)).toEqual(['UNREACHABLE']);
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('does not follow a redirect and reports the provider as unreachable', async () => {
    const target = await serveDiscovery((url) => discoveryDocument(url));
    const op = await serve((_req, res) => {
      res.writeHead(302, { location: `${target.url}/.well-known/openid-configuration` }).end();
    });

    const report = await checkIdentityProvider({ kind: 'OIDC', issuer: op.url, useDiscovery: true }, loopback);

    expect(codes(report)).toEqual(['UNREACHABLE']);
    expect(target.requests).toEqual([]);
  });

  it('reports an http issuer off loopback without requesting it', async () => {
    const requested: unknown[] = [];
    const recordingFetch: OutboundFetch = (input) => {
      requested.push(input);
      return Promise.reject(new Error('must not be called'));
    };

    const report = await checkIdentityProvider(
      { kind: 'OIDC', issuer: 'http://idp.example.com', useDiscovery: true },
      { ...loopback, fetch: recordingFetch },
    );

    expect(report).toEqual({
      ok: false,
      problems: [{ code: 'INSECURE_URL', message: expect.any(String), url: 'http://idp.example.com' }],
      discovered: null,
    });
    expect(requested).toEqual([]);
  });

  it('reports an http loopback issuer unless insecure loopback is allowed, and does not request it', async () => {
    const op = await serveDiscovery((url) => discoveryDocument(url));

    const report = await checkIdentityProvider({ kind: 'OIDC', issuer: op.url, useDiscovery: true }, { fetch: loopback.fetch });

    expect(codes(report)).toEqual(['INSECURE_URL']);
    expect(op.requests).toEqual([]);
  });

  it('refuses a provider whose name resolves to a private address, after DNS, without connecting', async () => {
    const op = await serveDiscovery((url) => discoveryDocument(url));
    const port = new URL(op.url).port;
    // `localhost` passes the URL rule; what it resolves to (loopback) is not allow-listed here.
    const noPrivateNetworks = { allowInsecureLoopback: true, fetch: createOutboundFetch({ httpsOnly: false, allowedNetworks: [] }) };

    const byName = await checkIdentityProvider(
      { kind: 'OIDC', issuer: `http://localhost:${port}`, useDiscovery: true },
      noPrivateNetworks,
    );
    const metadataService = await checkIdentityProvider(
      { kind: 'OIDC', issuer: 'https://169.254.169.254/latest', useDiscovery: true },
      noPrivateNetworks,
    );

    expect(byName.problems).toEqual([
      { code: 'UNREACHABLE', message: 'The provider could not be reached.', url: `http://localhost:${port}/.well-known/openid-configuration` },
    ]);
    expect(codes(metadataService)).toEqual(['UNREACHABLE']);
    expect(op.requests).toEqual([]);
  });

  it('reports an empty issuer as missing', async () => {
    const report = await checkIdentityProvider({ kind: 'OIDC', issuer: '', useDiscovery: true }, loopback);

    expect(codes(report)).toEqual(['MISSING_ENDPOINT']);
  });
});

describe('checkIdentityProvider without discovery', () => {
  it('counts any HTTP answer from an OAUTH2 endpoint as reachable and echoes the configuration', async () => {
    const idp = await serve((req, res) => {
      res.writeHead(req.url === '/me' ? 401 : req.url === '/authorize' ? 302 : 405, { location: '/login' }).end();
    });
    const endpoints = {
      authorizationEndpoint: `${idp.url}/authorize`,
      tokenEndpoint: `${idp.url}/token`,
      userinfoEndpoint: `${idp.url}/me`,
    };

    const report = await checkIdentityProvider({ kind: 'OAUTH2', endpoints }, loopback);

    expect(report).toEqual({
      ok: true,
      problems: [],
      discovered: {
        issuer: null,
        ...endpoints,
        jwksUri: null,
        codeChallengeMethodsSupported: [],
        scopesSupported: [],
        authorizationResponseIssParameterSupported: false,
      },
    });
    expect([...idp.requests].sort()).toEqual(['/authorize', '/me', '/token']);
  });

  it('requires the OAUTH2 endpoints and reports those that do not answer', async () => {
    const idp = await serve((_req, res) => res.writeHead(404).end());
    const closed = await closedPortUrl();

    const report = await checkIdentityProvider(
      {
        kind: 'OAUTH2',
        endpoints: { authorizationEndpoint: `${idp.url}/authorize`, tokenEndpoint: `${closed}/token`, userinfoEndpoint: null },
      },
      loopback,
    );

    expect(report.problems).toEqual([
      { code: 'MISSING_ENDPOINT', message: expect.stringContaining('userinfo') },
      { code: 'UNREACHABLE', message: expect.any(String), url: `${closed}/token` },
    ]);
  });

  it('requires the OIDC endpoints, refuses insecure ones and probes the rest', async () => {
    const idp = await serve((_req, res) => res.writeHead(400).end());

    const report = await checkIdentityProvider(
      {
        kind: 'OIDC',
        issuer: idp.url,
        useDiscovery: false,
        endpoints: { authorizationEndpoint: `${idp.url}/auth`, tokenEndpoint: 'http://idp.example.com/token' },
      },
      loopback,
    );

    expect(report.problems).toEqual([
      { code: 'INSECURE_URL', message: expect.any(String), url: 'http://idp.example.com/token' },
      { code: 'MISSING_ENDPOINT', message: expect.stringContaining('JWKS') },
    ]);
    expect(idp.requests).toEqual(['/auth']);
    expect(report.discovered).toMatchObject({ issuer: idp.url, authorizationEndpoint: `${idp.url}/auth`, jwksUri: null });
  });

  it('reports an endpoint that answers too slowly', async () => {
    const idp = await serve((_req, res) => {
      const timer = setTimeout(() => res.writeHead(405).end(), 1_000);
      res.on('close', () => clearTimeout(timer));
    });

    const report = await checkIdentityProvider(
      {
        kind: 'OAUTH2',
        endpoints: { authorizationEndpoint: `${idp.url}/a`, tokenEndpoint: `${idp.url}/t`, userinfoEndpoint: `${idp.url}/u` },
      },
      { ...loopback, fetch: loopbackFetch(200) },
    );

    expect(codes(report)).toEqual(['UNREACHABLE', 'UNREACHABLE', 'UNREACHABLE']);
  });
});

describe('checkIdentityProvider programmer errors', () => {
  it('throws for a kind it cannot check', async () => {
    const native = JSON.parse('{"kind":"NATIVE"}') as Parameters<typeof checkIdentityProvider>[0];
    await expect(checkIdentityProvider(native, loopback)).rejects.toThrow(TypeError);
  });
});
