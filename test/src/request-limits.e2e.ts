import { postGraphQL, useStack } from './harness/stack';

/** A query `levels` fields deep: `__type { ofType { ofType { ... name } } }`. */
function nestedIntrospection(levels: number): string {
  let selection = 'name';
  for (let level = 2; level < levels; level += 1) selection = `ofType { ${selection} }`;
  return `{ __type(name: "Tenant") { ${selection} } }`;
}

/** F0 spreads F1 twice, F1 spreads F2 twice, ...: 2^n paths through a document of a few hundred bytes. */
function doublingFragments(n: number): string {
  const fragments = Array.from({ length: n }, (_, i) =>
    i === n - 1 ? `fragment F${i} on __Type { name }` : `fragment F${i} on __Type { ofType { ...F${i + 1} } ...F${i + 1} }`,
  );
  return `{ __type(name: "Tenant") { ...F0 } } ${fragments.join(' ')}`;
}

describe('request limits, as a client meets them through the gateway', () => {
  const env = useStack();

  it('answers a 13-level query with QUERY_TOO_DEEP, and lets 12 levels through', async () => {
    const deep = await env.stack.graphql(nestedIntrospection(13));
    expect({ status: deep.status, code: deep.errors?.[0]?.extensions?.code }).toEqual({ status: 400, code: 'QUERY_TOO_DEEP' });
    const allowed = await env.stack.graphql(nestedIntrospection(12));
    expect(allowed.errors).toBeUndefined();
  });

  it('answers 31 aliases with TOO_MANY_ALIASES, and lets 30 through', async () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    const many = await env.stack.graphql(aliases(31));
    expect({ status: many.status, code: many.errors?.[0]?.extensions?.code }).toEqual({ status: 400, code: 'TOO_MANY_ALIASES' });
    expect((await env.stack.graphql(aliases(30))).errors).toBeUndefined();
  });

  it('refuses nested doubling fragments at once, however many there are', async () => {
    for (const n of [20, 60]) {
      const response = await env.stack.graphql(doublingFragments(n));
      expect(response.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_DEEP');
    }
  });

  it('refuses a document over the token limit before parsing it, with TOO_MANY_TOKENS', async () => {
    // 6,000 tokens in 12 kB: well inside the body limit.
    const response = await env.stack.graphql(`{ ${'a '.repeat(6_000)}}`);
    expect({ status: response.status, code: response.errors?.[0]?.extensions?.code }).toEqual({
      status: 400,
      code: 'TOO_MANY_TOKENS',
    });
  });

  it('refuses a body over the size limit with REQUEST_TOO_LARGE, and one that is not JSON with BAD_REQUEST', async () => {
    const large = await env.stack.graphql(`{ __typename } # ${'x'.repeat(100 * 1024)}`);
    expect({ status: large.status, code: large.errors?.[0]?.extensions?.code }).toEqual({
      status: 413,
      code: 'REQUEST_TOO_LARGE',
    });
    const broken = await fetch(env.stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{ "query": ',
    });
    expect({ status: broken.status, body: await broken.json() }).toEqual({
      status: 400,
      body: { errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] },
    });
  });

  it('applies the same limits on a subgraph, for a request that reaches it another way', async () => {
    const { AssertionSigner } = await import('@messngr/kit/auth');
    const signer = await AssertionSigner.fromJwk(env.stack.secrets.GATEWAY_ASSERTION_PRIVATE_KEY);
    const response = await postGraphQL(
      `${env.stack.subgraphUrls.tenant}/graphql`,
      nestedIntrospection(13),
      undefined,
      undefined,
      {
        'x-messngr-assertion': await signer.sign({ roles: [] }, 'tenant'),
      },
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_DEEP');
  });

  it('serves readiness and metrics to operators on the admin port only, not on the public one', async () => {
    const publicBase = new URL(env.stack.gatewayUrl).origin;
    for (const path of ['/readyz', '/metrics']) {
      expect((await fetch(`${publicBase}${path}`)).status).toBe(404);
    }
    expect((await fetch(`${publicBase}/healthz`)).status).toBe(200);
    const ready = await fetch(`${env.stack.gatewayAdminUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await (await fetch(`${env.stack.gatewayAdminUrl}/metrics`)).text()).toContain('http_request_duration_seconds');
  });
});
