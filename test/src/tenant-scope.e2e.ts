import { startOpenIdProvider, type TestOpenIdProvider } from './harness/openid-provider';
import { useStack } from './harness/stack';
import { ok, tenantApi, tenantWithPeople } from './harness/tenant-api';

/** What a repository holds must not be reachable around it: no model, no driver collection. */
function reachableFields(repository: object): string[] {
  const names = new Set<string>([...Object.keys(repository), ...Object.getOwnPropertyNames(repository)]);
  for (const name of ['model', 'collection', 'store', 'scoped']) {
    if (Reflect.get(repository, name) !== undefined) names.add(name);
  }
  return [...names];
}

describe('tenant scope and outbound calls, in the running services', () => {
  const env = useStack();

  it('keeps every repository’s model and collection private', () => {
    const { tenant, identity, device, audit } = env.stack.services;
    const repositories: Record<string, object> = {
      'tenant.tenants': tenant.deps.tenants,
      'tenant.sharedProviders': tenant.deps.sharedProviders,
      'identity.accounts': identity.deps.accounts,
      'identity.tenants': identity.deps.tenants,
      'identity.keys': identity.deps.keys,
      'device.devices': device.deps.devices,
      'device.accounts': device.deps.accounts,
      'audit.entries': audit.deps.entries,
    };
    for (const [name, repository] of Object.entries(repositories)) {
      expect({ name, reachable: reachableFields(repository) }).toEqual({ name, reachable: [] });
    }
  });

  describe('provider URLs', () => {
    let op: TestOpenIdProvider;
    beforeAll(async () => {
      op = await startOpenIdProvider();
    });
    afterAll(async () => {
      await op?.stop();
    });

    it('are refused when they point at private or link-local addresses, with one coarse problem and no request', async () => {
      const api = tenantApi(env);
      const { tenant } = await tenantWithPeople(env, api);
      const register = async (issuer: string) =>
        ok(
          await api.registerProvider({
            tenantId: tenant.id,
            kind: 'OIDC',
            displayName: 'Internal',
            badgeKey: 'generic',
            issuer,
            useDiscovery: true,
            clientId: 'internal',
          }),
        ).registerIdentityProvider.identityProvider;
      for (const issuer of ['https://169.254.169.254/latest', 'https://10.0.0.1', 'https://[fd00::1]', 'https://192.168.0.1']) {
        const provider = await register(issuer);
        const report = ok(await api.testProvider(provider.id)).testIdentityProvider.report;
        expect({ issuer, report }).toEqual({
          issuer,
          report: {
            ok: false,
            problems: [
              {
                code: 'UNREACHABLE',
                message: 'The provider could not be reached.',
                url: `${issuer}/.well-known/openid-configuration`,
              },
            ],
            discovered: null,
          },
        });
      }
      // The tests' allow-list names loopback, so a real OP there is reached.
      const reachable = await register(op.url);
      expect(ok(await api.testProvider(reachable.id)).testIdentityProvider.report.ok).toBe(true);
    });
  });
});
