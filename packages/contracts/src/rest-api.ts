import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from './error-codes';
import { SESSION_END_REASONS } from './events/identity-events';
import { identityKindSchema } from './events/shared-schemas';
import type { SubgraphName } from './subgraphs';

/**
 * The REST API beside GraphQL, declared once: the gateway proxies each prefix to the subgraph
 * that owns it and serves the OpenAPI document built here; the subgraphs parse request bodies
 * with these schemas and answer what they describe (their tests parse the answers with them).
 */
export const REST_API_PREFIXES = [
  { path: '/api/account/identities', subgraph: 'identity' },
  { path: '/api/account/devices', subgraph: 'device' },
] as const satisfies readonly { path: string; subgraph: SubgraphName }[];

/** Where the gateway serves `restApiDocument()`. */
export const OPENAPI_DOCUMENT_PATH = '/api/openapi.json';

/** The largest request body the REST routes read, at the gateway and again at the subgraph. */
export const REST_BODY_LIMIT_BYTES = 16 * 1024;

const id = z.string().min(1).max(100);
/** An instant as the routes write it: `Date#toISOString()`, UTC. */
const instant = z.iso.datetime();
const errorCode = z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]);

// ---- identities ---------------------------------------------------------------------------

export const restIdentitySchema = z
  .strictObject({
    id: id.describe('Stable id of the identity (`idn_...`).'),
    kind: identityKindSchema.describe('EMAIL, PHONE (E.164), OIDC or OAUTH2.'),
    providerId: id.nullable().describe('The identity provider it belongs to; null for email and phone linked by code.'),
    displayValue: z.string().describe('How people see it: masked for email and phone (`k***@example.com`).'),
    verified: z.boolean().describe('Whether it was proven to belong to the account.'),
    verifiedAt: instant.nullable().describe('When it was verified.'),
    linkedAt: instant.describe('When it was added to the account.'),
    lastUsedAt: instant.nullable().describe('When it was last used to sign in.'),
  })
  .describe('A way to sign in to the account; never the full address, number, issuer or subject.');

export const restIdentityListSchema = z.strictObject({
  identities: z.array(restIdentitySchema).describe("The caller's identities, in the order they were linked."),
});

export const restIdentityLinkFlowSchema = z
  .strictObject({
    id: id.describe("The flow's id: `lfl_...` for a code, `pfl_...` for a provider."),
    method: z.enum(['EMAIL', 'PHONE', 'PROVIDER']),
    state: z.enum(['CODE_SENT', 'WAITING_FOR_PROVIDER', 'LINKED', 'FAILED', 'CANCELLED']),
    destination: z.string().nullable().describe('Where the code went, masked (EMAIL, PHONE).'),
    providerId: id.nullable().describe('The provider (PROVIDER).'),
    failure: z.string().nullable().describe('Why it failed, an error code (e.g. FLOW_EXPIRED, IDENTITY_ALREADY_LINKED).'),
    linkedIdentityId: id.nullable().describe('The identity it linked, once LINKED.'),
    expiresAt: instant.describe('When the flow expires.'),
  })
  .describe('Adding an identity to the account, from the start until it is linked.');

export const restStartIdentityLinkRequestSchema = z
  .strictObject({
    method: z.enum(['EMAIL', 'PHONE', 'PROVIDER']).describe('How the identity is proven.'),
    email: z.string().max(320).nullable().optional().describe('The email address (EMAIL).'),
    phone: z.string().max(40).nullable().optional().describe('The phone number with its country code (PHONE).'),
    providerId: id.nullable().optional().describe("One of the tenant's enabled upstream providers (PROVIDER)."),
    returnTo: z
      .string()
      .max(2000)
      .nullable()
      .optional()
      .describe("Where the browser goes after the provider (PROVIDER): exactly one of the tenant's allowed return URLs."),
    locale: z.string().max(35).nullable().optional().describe('Language of the message with the code (BCP 47).'),
  })
  .describe('Starts linking an email address, a phone number or an account at a provider.');

export const restStartedIdentityLinkSchema = z.strictObject({
  flow: restIdentityLinkFlowSchema,
  authorizeUrl: z
    .string()
    .nullable()
    .describe("Where to send the browser (PROVIDER): the provider's authorization endpoint; null for a code."),
});

export const restVerifyIdentityLinkCodeRequestSchema = z
  .strictObject({ code: z.string().min(1).max(100).describe('The six-digit code that was sent.') })
  .describe('The code sent to the address or number being linked.');

export const restVerifiedIdentityLinkSchema = z
  .strictObject({ flow: restIdentityLinkFlowSchema, identity: restIdentitySchema })
  .describe('The flow, now LINKED, and the identity now on the account, verified.');

export const restIdentityRemovalSchema = z
  .strictObject({
    id: id.describe("The removal request's id (`rmv_...`)."),
    identityId: id.describe('The identity to remove.'),
    state: z.enum(['REQUESTED', 'CONFIRMED', 'CANCELLED', 'FAILED']),
    failure: z.string().nullable().describe('Why it failed, when FAILED (e.g. LAST_VERIFIED_IDENTITY).'),
    expiresAt: instant.describe('When the confirmation stops working.'),
  })
  .describe('A request to remove an identity, from the first DELETE until it is confirmed.');

export const restConfirmIdentityRemovalRequestSchema = z
  .strictObject({
    removalId: id.describe('The id of the removal the first DELETE answered.'),
    confirmation: z.string().min(1).max(200).describe('The confirmation the first DELETE answered (shown once).'),
  })
  .describe('The second DELETE: confirms the removal the first one requested.');

export const restRequestedIdentityRemovalSchema = z
  .strictObject({
    removal: restIdentityRemovalSchema,
    confirmation: z.string().describe('Send it back with the second DELETE. Shown once.'),
  })
  .describe('The request, REQUESTED, and its one-time confirmation.');

export const restConfirmedIdentityRemovalSchema = z
  .strictObject({
    removal: restIdentityRemovalSchema,
    removedIdentityId: id.describe('The id of the identity that was removed.'),
  })
  .describe('The request, CONFIRMED, and the identity that went.');

// ---- devices ------------------------------------------------------------------------------

export const restDeviceRevokerSchema = z
  .strictObject({
    kind: z.enum(['OWNER', 'SESSION_REVOKED']),
    accountId: id.nullable().describe('OWNER: the account that revoked it.'),
    sessionId: id.nullable().describe('SESSION_REVOKED: the session it was bound to.'),
    sessionEndReason: z.enum(SESSION_END_REASONS).nullable().describe('SESSION_REVOKED: why that session ended.'),
  })
  .describe('Who or what revoked a device; fields that do not apply to its kind are null.');

export const restDeviceSchema = z
  .strictObject({
    id: id.describe('Stable id of the device (`dev_...`).'),
    name: z.string().describe('The name the client gave it.'),
    platform: z.enum(['IOS', 'ANDROID', 'WEB', 'DESKTOP']),
    publicKeyFingerprint: z.string().nullable().describe("The fingerprint of the device's public key, when it has one."),
    status: z.enum(['ACTIVE', 'REVOKED']),
    registeredAt: instant,
    lastHandshakeAt: instant.nullable(),
    revokedAt: instant.nullable(),
    revokedBy: restDeviceRevokerSchema.nullable(),
    revocationReason: z.string().nullable().describe('What the revoker said, when anything.'),
  })
  .describe("A device of the caller's account.");

export const restDeviceListSchema = z.strictObject({
  devices: z.array(restDeviceSchema).describe("The caller's devices, newest first."),
});

export const restRevokeDeviceRequestSchema = z
  .strictObject({
    reason: z
      .string()
      .nullable()
      .optional()
      .describe('Why, 1 to 200 characters after white space is collapsed; null or absent for none.'),
  })
  .describe('The optional body of a device revocation.');

export const restRevokedDeviceSchema = z.strictObject({ device: restDeviceSchema }).describe('The device, REVOKED.');

// ---- errors -------------------------------------------------------------------------------

export const restErrorSchema = z
  .strictObject({
    error: z.looseObject({
      code: errorCode.describe('A stable code from the closed list; match on it, never on the message.'),
      message: z.string().describe('For people; it may change.'),
      field: z.string().optional().describe('BAD_USER_INPUT: the field at fault (`body` for the body as a whole).'),
      retryAfterSeconds: z.number().int().optional().describe('RATE_LIMITED, LOCKED_OUT: when to try again.'),
      maxAgeSeconds: z.number().int().optional().describe('REAUTH_REQUIRED: how recent a sign-in must be.'),
    }),
  })
  .describe("Every refusal, with GraphQL's `extensions` as the error's other fields.");

export type RestIdentity = z.infer<typeof restIdentitySchema>;
export type RestIdentityLinkFlow = z.infer<typeof restIdentityLinkFlowSchema>;
export type RestIdentityRemoval = z.infer<typeof restIdentityRemovalSchema>;
export type RestError = z.infer<typeof restErrorSchema>;

/** The named schemas of the document, by their name under `components.schemas`. */
const SCHEMAS = {
  Identity: restIdentitySchema,
  IdentityList: restIdentityListSchema,
  IdentityLinkFlow: restIdentityLinkFlowSchema,
  StartIdentityLinkRequest: restStartIdentityLinkRequestSchema,
  StartedIdentityLink: restStartedIdentityLinkSchema,
  VerifyIdentityLinkCodeRequest: restVerifyIdentityLinkCodeRequestSchema,
  VerifiedIdentityLink: restVerifiedIdentityLinkSchema,
  IdentityRemoval: restIdentityRemovalSchema,
  ConfirmIdentityRemovalRequest: restConfirmIdentityRemovalRequestSchema,
  RequestedIdentityRemoval: restRequestedIdentityRemovalSchema,
  ConfirmedIdentityRemoval: restConfirmedIdentityRemovalSchema,
  DeviceRevoker: restDeviceRevokerSchema,
  Device: restDeviceSchema,
  DeviceList: restDeviceListSchema,
  RevokeDeviceRequest: restRevokeDeviceRequestSchema,
  RevokedDevice: restRevokedDeviceSchema,
  Error: restErrorSchema,
} as const;

type SchemaName = keyof typeof SCHEMAS;

/** JSON Schema 2020-12 (OpenAPI 3.1's dialect) of every named schema, referring to each other by `$ref`. */
function componentSchemas(): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const [name, schema] of Object.entries(SCHEMAS)) registry.add(schema, { id: name });
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io: 'output',
    uri: (name) => `#/components/schemas/${name}`,
    // The long date-time regex adds nothing to `format: date-time` for a reader.
    override: ({ jsonSchema }) => {
      if (jsonSchema.format === 'date-time') delete jsonSchema.pattern;
    },
  });
  for (const schema of Object.values(schemas)) {
    delete schema['$schema'];
    delete schema['$id'];
  }
  return schemas;
}

const ref = (name: SchemaName) => ({ $ref: `#/components/schemas/${name}` });
const jsonContent = (name: SchemaName) => ({ content: { 'application/json': { schema: ref(name) } } });
const NO_STORE = { 'Cache-Control': { $ref: '#/components/headers/NoStore' } };

/** A response with a body of `name`. */
function answer(description: string, name: SchemaName, headers: Record<string, unknown> = {}) {
  return { description, headers: { ...NO_STORE, ...headers }, ...jsonContent(name) };
}

/** A refusal: `{ error }` with one of `codes`. */
function refusal(codes: readonly ErrorCode[], why: string, headers: Record<string, unknown> = {}) {
  return answer(`${why} Codes: ${codes.map((code) => `\`${code}\``).join(', ')}.`, 'Error', headers);
}

/** What every route may answer besides its own refusals. */
const COMMON_REFUSALS = {
  '401': { $ref: '#/components/responses/Unauthenticated' },
  '500': { $ref: '#/components/responses/InternalError' },
  '502': { $ref: '#/components/responses/SubgraphUnavailable' },
};

/** What a route that reads a JSON body may also answer. */
const BODY_REFUSALS = {
  '413': { $ref: '#/components/responses/TooLarge' },
  '415': { $ref: '#/components/responses/NotJson' },
};

const jsonBody = (name: SchemaName, description: string, required: boolean) => ({
  required,
  description,
  ...jsonContent(name),
});

const pathParameter = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' },
});

/**
 * The OpenAPI 3.1 document of the REST API, as the gateway serves it at `/api/openapi.json`:
 * every route, its request and response bodies (generated from the schemas above), the error
 * shape and codes, and the bearer access token they are guarded by.
 */
export function restApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Messngr account REST API',
      version: '1.0.0',
      description: [
        "The caller's own identities and devices over REST, beside the GraphQL API at `/graphql` and thin over the same",
        'use cases: the same rules, the same error codes. Every route takes the access token GraphQL takes',
        '(`Authorization: Bearer <access token>`) and answers JSON with `Cache-Control: no-store`. Refusals are',
        '`{ "error": { "code", "message", ... } }`, with the code from the closed list GraphQL uses in `extensions.code`',
        'and its other `extensions` (`field`, `retryAfterSeconds`, ...) beside it. Request bodies are JSON',
        `(\`Content-Type: application/json\`), at most ${REST_BODY_LIMIT_BYTES / 1024} kB. Linking and removing need a recent`,
        'sign-in (else `REAUTH_REQUIRED`; confirm with GraphQL `startReauthentication`). A recovery session may list and',
        'link identities, nothing else here. A path under `/api/account/identities` or `/api/account/devices` that is',
        'not below answers 404 `NOT_FOUND`, another method 405 `BAD_REQUEST`.',
      ].join(' '),
    },
    servers: [{ url: '/', description: 'The gateway (`PUBLIC_URL`).' }],
    security: [{ bearerAuth: [] }],
    tags: [
      { name: 'identities', description: 'Ways to sign in to the account: list, link by code or provider, remove.' },
      { name: 'devices', description: "The account's devices: list and revoke." },
      { name: 'meta', description: 'This document.' },
    ],
    paths: {
      '/api/account/identities': {
        get: {
          tags: ['identities'],
          operationId: 'listMyIdentities',
          summary: "The caller's identities",
          description: 'Like GraphQL `me { identities }`.',
          responses: {
            '200': answer('The identities.', 'IdentityList'),
            ...COMMON_REFUSALS,
            '404': refusal(['NOT_FOUND'], 'The account of the token is gone.'),
          },
        },
        post: {
          tags: ['identities'],
          operationId: 'startIdentityLink',
          summary: 'Starts linking an identity',
          description: [
            'Like GraphQL `startIdentityLink`. EMAIL and PHONE: a code is sent; present it with',
            '`POST /api/account/identities/link-flows/{flowId}/code`. PROVIDER: send the browser to `authorizeUrl`; the',
            "answer sets a cookie binding the flow to this browser, read back only by the tenant's provider callback",
            '(`/t/{slug}/callback`), which links the identity and sends the browser on to `returnTo`.',
          ].join(' '),
          requestBody: jsonBody('StartIdentityLinkRequest', 'How to prove the new identity.', true),
          responses: {
            '202': answer('Started: a code is on its way, or the browser goes to the provider.', 'StartedIdentityLink', {
              'Set-Cookie': {
                description:
                  'PROVIDER only: `mfl_...`, HttpOnly, SameSite=Lax, Path=/t/{slug}/callback (Secure outside loopback development).',
                schema: { type: 'string' },
              },
            }),
            '400': refusal(
              ['BAD_USER_INPUT', 'BAD_REQUEST', 'RETURN_URL_NOT_ALLOWED', 'UPSTREAM_UNAVAILABLE', 'UPSTREAM_INVALID_RESPONSE'],
              'The request is invalid, or the provider could not be prepared.',
            ),
            ...COMMON_REFUSALS,
            '403': refusal(['REAUTH_REQUIRED'], 'The session did not sign in recently enough.'),
            '404': refusal(['NOT_FOUND'], 'No such provider of the tenant.'),
            '409': refusal(
              ['PHONE_NOT_ALLOWED', 'PROVIDER_DISABLED', 'POLICY_FORBIDS_PROVIDER', 'TENANT_SUSPENDED'],
              "The tenant's policy or state does not allow it.",
            ),
            ...BODY_REFUSALS,
            '429': refusal(['RATE_LIMITED', 'LOCKED_OUT'], 'Too many codes lately.', {
              'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } },
            }),
          },
        },
      },
      '/api/account/identities/link-flows/{flowId}/code': {
        post: {
          tags: ['identities'],
          operationId: 'verifyIdentityLinkCode',
          summary: 'Presents the code of an EMAIL or PHONE link',
          description: 'Like GraphQL `verifyIdentityLinkCode`: the address or number is linked, verified.',
          parameters: [pathParameter('flowId', 'The `flow.id` that `POST /api/account/identities` answered.')],
          requestBody: jsonBody('VerifyIdentityLinkCodeRequest', 'The code.', true),
          responses: {
            '200': answer('Linked.', 'VerifiedIdentityLink'),
            '400': refusal(
              ['BAD_USER_INPUT', 'BAD_REQUEST', 'INVALID_CODE', 'TOO_MANY_ATTEMPTS', 'FLOW_EXPIRED'],
              'The request or the code is not right.',
            ),
            ...COMMON_REFUSALS,
            '404': refusal(['NOT_FOUND'], "No such link flow of the caller's session."),
            '409': refusal(['IDENTITY_ALREADY_LINKED'], 'The address or number is linked already (here or elsewhere).'),
            ...BODY_REFUSALS,
          },
        },
      },
      '/api/account/identities/{identityId}': {
        delete: {
          tags: ['identities'],
          operationId: 'removeIdentity',
          summary: 'Removes an identity, in two steps',
          description: [
            'Without a body (or with `{}`): requests the removal (GraphQL `requestIdentityRemoval`) and answers 202 with',
            'a one-time `confirmation`. With `{ removalId, confirmation }`: confirms it (GraphQL `confirmIdentityRemoval`)',
            'and answers 200; the identity goes only if another verified identity remains (decided atomically).',
          ].join(' '),
          parameters: [pathParameter('identityId', 'The identity (`Identity.id`).')],
          requestBody: jsonBody(
            'ConfirmIdentityRemovalRequest',
            'Absent for the first step; the confirmation for the second.',
            false,
          ),
          responses: {
            '202': answer('Requested: confirm with a second DELETE.', 'RequestedIdentityRemoval'),
            '200': answer('Removed.', 'ConfirmedIdentityRemoval'),
            '400': refusal(
              ['BAD_USER_INPUT', 'BAD_REQUEST', 'FLOW_EXPIRED', 'INVALID_STATE'],
              'The request is invalid, or the removal expired or was settled already.',
            ),
            ...COMMON_REFUSALS,
            '403': refusal(['REAUTH_REQUIRED'], 'The session did not sign in recently enough.'),
            '404': refusal(
              ['NOT_FOUND'],
              "No such identity of the caller, or no such removal of the caller's session for it (a wrong confirmation too).",
            ),
            '409': refusal(['LAST_VERIFIED_IDENTITY'], 'No other verified identity would remain.'),
            ...BODY_REFUSALS,
          },
        },
      },
      '/api/account/devices': {
        get: {
          tags: ['devices'],
          operationId: 'listMyDevices',
          summary: "The caller's devices",
          description: 'Like GraphQL `me { devices(includeRevoked) }`: trusted ones, and revoked ones on request.',
          parameters: [
            {
              name: 'includeRevoked',
              in: 'query',
              required: false,
              description: 'Also revoked devices: `true` or `false` (the default), once.',
              schema: { type: 'string', enum: ['true', 'false'], default: 'false' },
            },
          ],
          responses: {
            '200': answer('The devices.', 'DeviceList'),
            '400': refusal(['BAD_USER_INPUT'], '`includeRevoked` is not `true` or `false`.'),
            ...COMMON_REFUSALS,
            '403': refusal(['RESTRICTED_SESSION'], 'A recovery session may not.'),
          },
        },
      },
      '/api/account/devices/{deviceId}': {
        delete: {
          tags: ['devices'],
          operationId: 'revokeMyDevice',
          summary: 'Revokes one of the caller’s devices',
          description: 'Like GraphQL `revokeDevice`. A device revoked already stays as it was (its first revocation stands).',
          parameters: [pathParameter('deviceId', 'The device (`Device.id`).')],
          requestBody: jsonBody('RevokeDeviceRequest', 'Optional: why.', false),
          responses: {
            '200': answer('The device, revoked.', 'RevokedDevice'),
            '400': refusal(['BAD_USER_INPUT', 'BAD_REQUEST'], 'The body is invalid (an unknown field, a blank or long reason).'),
            ...COMMON_REFUSALS,
            '403': refusal(['RESTRICTED_SESSION'], 'A recovery session may not.'),
            '404': refusal(['NOT_FOUND'], 'No such device of the caller.'),
            ...BODY_REFUSALS,
          },
        },
      },
      [OPENAPI_DOCUMENT_PATH]: {
        get: {
          tags: ['meta'],
          operationId: 'getOpenApiDocument',
          summary: 'This document',
          security: [],
          responses: {
            '200': {
              description: 'The OpenAPI 3.1 document.',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
          },
        },
      },
    },
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'The access token from sign-in (`completeLogin`, `refreshSession`, ...), as for GraphQL.',
        },
      },
      headers: {
        NoStore: { description: 'Always `no-store`.', schema: { type: 'string', const: 'no-store' } },
      },
      responses: {
        Unauthenticated: refusal(
          ['UNAUTHENTICATED'],
          'No access token, or one that is invalid, expired or of an ended session.',
          {
            'WWW-Authenticate': {
              description: '`Bearer`, with `error="invalid_token"` for a bad token.',
              schema: { type: 'string' },
            },
          },
        ),
        InternalError: refusal(['INTERNAL_SERVER_ERROR'], 'Something unexpected failed; it is logged.'),
        SubgraphUnavailable: refusal(['INTERNAL_SERVER_ERROR'], 'The service behind the gateway could not be reached.'),
        TooLarge: refusal(['REQUEST_TOO_LARGE'], `The body is larger than ${REST_BODY_LIMIT_BYTES / 1024} kB.`),
        NotJson: refusal(['BAD_REQUEST'], 'There is a body and it is not `application/json`.'),
      },
      schemas: componentSchemas(),
    },
  };
}
