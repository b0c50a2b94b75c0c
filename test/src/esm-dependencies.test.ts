// The ESM-only libraries later work depends on load under jest (compiled by @swc/jest).
describe('ESM-only dependencies', () => {
  it('loads jose, openid-client and oidc-provider', async () => {
    // oidc-provider 9 warns that it prefers Node 22; Node 20.19+ runs it (require(esm) and all).
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const jose = await import('jose');
    const client = await import('openid-client');
    const provider = await import('oidc-provider');
    const { publicKey } = await jose.generateKeyPair('ES256');
    expect((await jose.exportJWK(publicKey)).kty).toBe('EC');
    expect(typeof client.discovery).toBe('function');
    expect(typeof provider.default).toBe('function');
  });
});
