import { createOutboundFetch } from '@messngr/kit/http';
import { checkIdentityProvider } from '@messngr/tenant/src/discovery/check-identity-provider';
import { startOpenIdProvider, type TestOpenIdProvider } from './harness/openid-provider';

const loopback = { allowInsecureLoopback: true, fetch: createOutboundFetch({ httpsOnly: false, allowedNetworks: ['127.0.0.0/8'] }) };

// Checks provider discovery against a real OpenID Provider (oidc-provider) on loopback.
describe('identity provider discovery against a real OpenID Provider', () => {
  const started: TestOpenIdProvider[] = [];
  const start = async (options?: Parameters<typeof startOpenIdProvider>[0]) => {
    const op = await startOpenIdProvider(options);
    started.push(op);
    return op;
  };

  afterAll(async () => {
    await Promise.all(started.map((op) => op.stop()));
  });

  it('finds a correctly configured provider and what it advertises', async () => {
    const op = await start();

    const report = await checkIdentityProvider(
      { kind: 'OIDC', issuer: op.url, useDiscovery: true },
      loopback,
    );

    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    const discovered = report.discovered!;
    expect(discovered.issuer).toBe(op.url);
    const endpoints = [
      discovered.authorizationEndpoint,
      discovered.tokenEndpoint,
      discovered.userinfoEndpoint,
      discovered.jwksUri,
    ];
    expect(endpoints.map((endpoint) => endpoint && new URL(endpoint).origin)).toEqual([op.url, op.url, op.url, op.url]);
    expect(discovered.codeChallengeMethodsSupported).toContain('S256');
    expect(discovered.scopesSupported).toEqual(expect.arrayContaining(['openid', 'email']));

    // oidc-provider 9 advertises RFC 9207 `iss` in authorization responses; the report passes that on.
    const advertised = (await (await fetch(`${op.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(advertised['authorization_response_iss_parameter_supported']).toBe(true);
    expect(discovered.authorizationResponseIssParameterSupported).toBe(true);
  });

  it('reports a provider whose issuer differs from where it is served', async () => {
    const op = await start({ issuer: 'https://op.example.test' });

    const report = await checkIdentityProvider(
      { kind: 'OIDC', issuer: op.url, useDiscovery: true },
      loopback,
    );

    expect(report.ok).toBe(false);
    expect(report.problems.map((problem) => problem.code)).toEqual(['ISSUER_MISMATCH']);
    expect(report.discovered?.issuer).toBe('https://op.example.test');
  });

  it('reports an issuer whose discovery document is not found as unreachable, without the status', async () => {
    const op = await start();
    const issuer = `${op.url}/not-here`;

    const report = await checkIdentityProvider({ kind: 'OIDC', issuer, useDiscovery: true }, loopback);

    expect(report).toEqual({
      ok: false,
      problems: [
        { code: 'UNREACHABLE', message: 'The provider could not be reached.', url: `${issuer}/.well-known/openid-configuration` },
      ],
      discovered: null,
    });
  });
});
