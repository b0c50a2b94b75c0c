import { OPENAPI_DOCUMENT_PATH, REST_API_PREFIXES, restApiDocument } from './rest-api';

interface Operation {
  operationId: string;
  security?: unknown[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
}

const document = restApiDocument() as {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Record<string, unknown>>; securitySchemes: Record<string, unknown> };
};

/** Every `$ref` anywhere in `value`. */
function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => (key === '$ref' && typeof inner === 'string' ? [inner] : refsIn(inner)));
}

function resolve(pointer: string): unknown {
  if (!pointer.startsWith('#/')) return undefined;
  return pointer
    .slice(2)
    .split('/')
    .reduce<unknown>(
      (node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined),
      document,
    );
}

describe('the REST API document', () => {
  it('is OpenAPI 3.1 whose every reference resolves, and survives JSON', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
    const refs = refsIn(document);
    expect(refs.length).toBeGreaterThan(20);
    expect(refs.filter((ref) => resolve(ref) === undefined)).toEqual([]);
    for (const schema of Object.values(document.components.schemas)) {
      expect(schema).not.toHaveProperty('$schema');
      expect(schema).not.toHaveProperty('$id');
    }
  });

  it('describes only paths the gateway proxies (and itself), each operation guarded by the bearer token', () => {
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
    );
    for (const { path, operation } of operations) {
      if (path === OPENAPI_DOCUMENT_PATH) {
        expect(operation.security).toEqual([]);
        continue;
      }
      expect(REST_API_PREFIXES.some((prefix) => path === prefix.path || path.startsWith(`${prefix.path}/`))).toBe(true);
      expect(operation.security).toBeUndefined();
      expect(operation.responses).toHaveProperty('401');
      if (operation.requestBody) expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['413', '415']));
    }
    expect(new Set(operations.map(({ operation }) => operation.operationId)).size).toBe(operations.length);
    expect(operations.map(({ method, path }) => `${method.toUpperCase()} ${path}`).sort()).toEqual([
      'DELETE /api/account/devices/{deviceId}',
      'DELETE /api/account/identities/{identityId}',
      'GET /api/account/devices',
      'GET /api/account/identities',
      'GET /api/openapi.json',
      'POST /api/account/identities',
      'POST /api/account/identities/link-flows/{flowId}/code',
    ]);
    expect(document.components.securitySchemes).toEqual({
      bearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    });
  });
});
