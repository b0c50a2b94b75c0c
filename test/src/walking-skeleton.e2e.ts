import { randomBytes } from 'node:crypto';
import { eventually } from './harness/eventually';
import { useStack } from './harness/stack';

/**
 * The slice every later feature stands on: a platform admin (token from the operator
 * CLI) creates a tenant, an account and a device, and one query through the gateway
 * reads them back across all four subgraphs, activity included (tenant → Kafka → audit).
 */
describe('walking skeleton across the supergraph', () => {
  const env = useStack();

  it('creates a tenant, an account and a device, and reads them back through one query', async () => {
    const name = `Fjord Café ${randomBytes(3).toString('hex')}`;
    const created = await env.stack.graphql<{ createTenant: { tenant: { id: string; slug: string; status: string } } }>(
      `mutation ($input: CreateTenantInput!) { createTenant(input: $input) { tenant { id slug status } } }`,
      { input: { name } },
      env.adminToken,
    );
    expect(created.errors).toBeUndefined();
    const tenant = created.data!.createTenant.tenant;
    expect(tenant.slug).toMatch(/^fjord-cafe-[0-9a-f]{6}$/);
    expect(tenant.status).toBe('ACTIVE');

    // The identity subgraph learns of the tenant from its creation event.
    const account = await eventually(async () => {
      const response = await env.stack.graphql<{ createAccount: { account: { id: string; tenantId: string } } }>(
        `mutation ($input: CreateAccountInput!) { createAccount(input: $input) { account { id tenantId handle } } }`,
        { input: { tenantId: tenant.id, displayName: 'Kari Nordmann', handle: 'kari' } },
        env.adminToken,
      );
      if (response.errors) throw new Error(JSON.stringify(response.errors));
      return response.data!.createAccount.account;
    });
    expect(account.tenantId).toBe(tenant.id);

    // The device subgraph learns of the account from its creation event.
    const device = await eventually(async () => {
      const response = await env.stack.graphql<{ registerDevice: { device: { id: string; name: string } } }>(
        `mutation ($input: RegisterDeviceInput!) { registerDevice(input: $input) { device { id name platform } } }`,
        {
          input: {
            accountId: account.id,
            name: 'Pixel 8',
            platform: 'ANDROID',
            publicKey: { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' },
          },
        },
        env.adminToken,
      );
      if (response.errors) throw new Error(JSON.stringify(response.errors));
      return response.data!.registerDevice.device;
    });
    expect(device.name).toBe('Pixel 8');

    const query = `query ($id: ID!) {
      tenant(id: $id) {
        id name slug
        accounts(first: 10) {
          edges { node { id handle displayName
            devices { id name platform }
            activity(first: 10) { edges { node { type summary } } }
          } }
        }
      }
    }`;
    const result = await eventually(async () => {
      const response = await env.stack.graphql<TenantView>(query, { id: tenant.id }, env.adminToken);
      if (response.errors) throw new Error(JSON.stringify(response.errors));
      const types = response.data!.tenant.accounts.edges[0]?.node.activity.edges.map((edge) => edge.node.type) ?? [];
      // The audit subgraph reads the identity and device topics independently: either may arrive first.
      if (!types.includes('device.device.registered') || !types.includes('identity.account.created'))
        throw new Error(`activity so far: ${types.join(', ')}`);
      return response.data!.tenant;
    });
    expect(result.name).toBe(name);
    expect(result.accounts.edges).toHaveLength(1);
    const node = result.accounts.edges[0]!.node;
    expect(node).toMatchObject({ id: account.id, handle: 'kari', displayName: 'Kari Nordmann' });
    expect(node.devices).toEqual([{ id: device.id, name: 'Pixel 8', platform: 'ANDROID' }]);
    expect(node.activity.edges.map((edge) => edge.node.type).sort()).toEqual([
      'device.device.registered',
      'identity.account.created',
    ]);
  });

  it('reports bad input with a typed code, not a server error', async () => {
    const response = await env.stack.graphql(
      `mutation { createTenant(input: { name: "x", slug: "Not A Slug" }) { tenant { id } } }`,
      undefined,
      env.adminToken,
    );
    expect(response.status).toBeLessThan(500);
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses createTenant to callers who are not platform admins', async () => {
    const anonymous = await env.stack.graphql(`mutation { createTenant(input: { name: "Nope AS" }) { tenant { id } } }`);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

interface TenantView {
  tenant: {
    id: string;
    name: string;
    slug: string;
    accounts: {
      edges: {
        node: {
          id: string;
          handle: string;
          displayName: string;
          devices: { id: string; name: string; platform: string }[];
          activity: { edges: { node: { type: string; summary: string } }[] };
        };
      }[];
    };
  };
}
