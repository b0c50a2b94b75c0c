/**
 * The processes of the stack, declared once: the gateway, composition, `npm start`, the
 * services' config and the test harness all read this list. `schema` is the subgraph's SDL,
 * relative to the repository root: composition and the running subgraph read the same file.
 * `adminPort` is its operations port (`/metrics`, `/healthz`, `/readyz`; loopback by default).
 */
export const SUBGRAPHS = [
  { name: 'tenant', port: 4001, adminPort: 4011, urlVariable: 'TENANT_URL', schema: 'services/tenant/schema.graphql' },
  { name: 'identity', port: 4002, adminPort: 4012, urlVariable: 'IDENTITY_URL', schema: 'services/identity/schema.graphql' },
  { name: 'device', port: 4003, adminPort: 4013, urlVariable: 'DEVICE_URL', schema: 'services/device/schema.graphql' },
  { name: 'audit', port: 4004, adminPort: 4014, urlVariable: 'AUDIT_URL', schema: 'services/audit/schema.graphql' },
] as const;

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

export const SUBGRAPH_NAMES: readonly SubgraphName[] = SUBGRAPHS.map((subgraph) => subgraph.name);

/** The public door, and its operations port for `/metrics` and `/readyz` (loopback by default). */
export const GATEWAY = { port: 4000, adminPort: 4010 } as const;

export function subgraphNamed(name: SubgraphName): (typeof SUBGRAPHS)[number] {
  const subgraph = SUBGRAPHS.find((candidate) => candidate.name === name);
  if (!subgraph) throw new Error(`unknown subgraph ${name}`);
  return subgraph;
}

export function isSubgraphName(name: string): name is SubgraphName {
  return (SUBGRAPH_NAMES as readonly string[]).includes(name);
}
