import express, { type Express, type Request, type Response } from 'express';
import type { z } from 'zod';
import {
  REST_BODY_LIMIT_BYTES,
  restConfirmIdentityRemovalRequestSchema,
  restStartIdentityLinkRequestSchema,
  restVerifyIdentityLinkCodeRequestSchema,
  type RestIdentity,
  type RestIdentityLinkFlow,
  type RestIdentityRemoval,
} from '@messngr/contracts';
import type { AuthenticatedCaller } from '@messngr/kit/auth';
import { BadUserInputError, DomainError, NotFoundError } from '@messngr/kit/errors';
import { encodeCookieRequests, SET_COOKIE_HEADER } from '@messngr/kit/http';
import type { Logger } from '@messngr/kit/logging';
import {
  refuseAnonymous,
  refuseRest,
  restAccepted,
  restAnswerer,
  restBodyErrors,
  restCaller,
  restOk,
  type RouteGuards,
} from '@messngr/kit/subgraph';
import type { IdentityDependencies } from '../dependencies';
import type { StoredIdentity } from '../domain/identity';
import type { IdentityRemovalDocument } from '../persistence/identity-removal.model';
import {
  startIdentityLink,
  verifyIdentityLinkCode,
  type IdentityLinkFlowView,
  type StartedIdentityLink,
  type StartIdentityLinkCommand,
} from '../use-cases/identity-link';
import { confirmIdentityRemoval, requestIdentityRemoval, type RequestedRemoval } from '../use-cases/identity-removal';

export const ACCOUNT_IDENTITIES_PATH = '/api/account/identities';

/** What the routes do, each one use case (the same GraphQL's resolvers call); tests put stand-ins here. */
export interface AccountIdentityOperations {
  list(caller: AuthenticatedCaller): Promise<StoredIdentity[]>;
  startLink(caller: AuthenticatedCaller, command: StartIdentityLinkCommand): Promise<StartedIdentityLink>;
  verifyLinkCode(
    caller: AuthenticatedCaller,
    command: { flowId: string; code: string },
  ): Promise<{ flow: IdentityLinkFlowView; identity: StoredIdentity }>;
  requestRemoval(caller: AuthenticatedCaller, command: { identityId: string }): Promise<RequestedRemoval>;
  confirmRemoval(
    caller: AuthenticatedCaller,
    command: { identityId: string; removalId: string; confirmation: string },
  ): Promise<{ removal: IdentityRemovalDocument; removed: StoredIdentity }>;
}

/** The operations on the identity subgraph's own use cases. */
export function accountIdentityOperations(deps: IdentityDependencies): AccountIdentityOperations {
  return {
    list: async (caller) => {
      const account = await deps.accounts.findById(caller.tenantId, caller.accountId);
      if (!account) throw new NotFoundError('Account');
      return account.identities;
    },
    startLink: (caller, command) => startIdentityLink(deps, caller, command),
    verifyLinkCode: (caller, command) => verifyIdentityLinkCode(deps, caller, command),
    requestRemoval: (caller, command) => requestIdentityRemoval(deps, caller, command),
    confirmRemoval: async (caller, { identityId, removalId, confirmation }) => {
      // The path names the identity: a removal of another one is not this resource's.
      const pending = await deps.identityRemovals.findById(removalId);
      if (pending && pending.identityId !== identityId) throw new NotFoundError('Removal');
      return confirmIdentityRemoval(deps, caller, { removalId, confirmation });
    },
  };
}

/**
 * The caller's own identities over REST, beside GraphQL and thin over the same use cases:
 * - `GET /api/account/identities` → 200 `{ identities: [Identity] }`;
 * - `POST /api/account/identities` `{ method, email?, phone?, providerId?, returnTo?, locale? }`
 *   → 202 `{ flow, authorizeUrl }` (a PROVIDER link also asks the gateway for the flow's browser-binding cookie);
 * - `POST /api/account/identities/link-flows/:flowId/code` `{ code }` → 200 `{ flow, identity }`;
 * - `DELETE /api/account/identities/:id` without a body (or `{}`) → 202 `{ removal, confirmation }`,
 *   then with `{ removalId, confirmation }` → 200 `{ removal, removedIdentityId }`.
 * Only through the gateway (its assertion), and only for a signed-in caller (a recovery session
 * too, as in GraphQL: the use cases decide what it may do). Refusals are
 * `{ error: { code, message, ...details } }` with the use cases' codes and HTTP statuses; a
 * malformed body is BAD_REQUEST 400 (415 when not JSON), a large one REQUEST_TOO_LARGE 413. The
 * shapes are the contracts' (`restApiDocument`).
 */
export function mountAccountIdentityRoutes(
  app: Express,
  operations: AccountIdentityOperations,
  guards: RouteGuards,
  logger: Logger,
): void {
  const routes = express.Router();
  const json = express.json({ limit: REST_BODY_LIMIT_BYTES });
  const respond = restAnswerer(logger, 'an account identity route');
  routes.use(guards.gatewayOnly, (_req, res, next) => {
    res.setHeader('cache-control', 'no-store');
    next();
  });

  routes.get('/', (_req, res) =>
    respond(res, async () =>
      restOk({ identities: (await operations.list(restCaller(res, { allowRestricted: true }))).map(identityJson) }),
    ),
  );

  routes.post('/', refuseAnonymous, json, (req, res) =>
    respond(res, async () => {
      const command = parsedBody(req, restStartIdentityLinkRequestSchema, { required: true });
      const started = await operations.startLink(restCaller(res, { allowRestricted: true }), command);
      // The gateway turns this into Set-Cookie, for the tenant's provider callback only.
      if (started.browserBinding)
        res.setHeader(SET_COOKIE_HEADER, encodeCookieRequests([{ ...started.browserBinding, domain: null }]));
      return restAccepted({ flow: linkFlowJson(started.flow), authorizeUrl: started.authorizeUrl });
    }),
  );

  routes.post('/link-flows/:flowId/code', refuseAnonymous, json, (req, res) =>
    respond(res, async () => {
      const { code } = parsedBody(req, restVerifyIdentityLinkCodeRequestSchema, { required: true });
      const { flow, identity } = await operations.verifyLinkCode(restCaller(res, { allowRestricted: true }), {
        flowId: String(req.params['flowId']),
        code,
      });
      return restOk({ flow: linkFlowJson(flow), identity: identityJson(identity) });
    }),
  );

  // Two steps on one resource: no body requests the removal, the confirmation confirms it.
  routes.delete('/:id', refuseAnonymous, json, (req, res) =>
    respond(res, async () => {
      const identityId = String(req.params['id']);
      const confirmation = parsedBody(req, restConfirmIdentityRemovalRequestSchema, { required: false });
      if (!confirmation) {
        const requested = await operations.requestRemoval(restCaller(res, { allowRestricted: true }), { identityId });
        return restAccepted({ removal: removalJson(requested.removal), confirmation: requested.confirmation });
      }
      const confirmed = await operations.confirmRemoval(restCaller(res, { allowRestricted: true }), {
        identityId,
        ...confirmation,
      });
      return restOk({ removal: removalJson(confirmed.removal), removedIdentityId: confirmed.removed.id });
    }),
  );

  routes.use((_req: Request, res: Response) => refuseRest(res, 404, 'NOT_FOUND', 'No such route.'));
  routes.use(restBodyErrors());
  app.use(ACCOUNT_IDENTITIES_PATH, routes);
}

export function identityJson(identity: StoredIdentity): RestIdentity {
  // Never `value`, `issuer` or `subject`: what people see is `displayValue`.
  return {
    id: identity.id,
    kind: identity.kind,
    providerId: identity.providerId,
    displayValue: identity.displayValue,
    verified: identity.verified,
    verifiedAt: identity.verifiedAt?.toISOString() ?? null,
    linkedAt: identity.linkedAt.toISOString(),
    lastUsedAt: identity.lastUsedAt?.toISOString() ?? null,
  };
}

export function linkFlowJson(flow: IdentityLinkFlowView): RestIdentityLinkFlow {
  return {
    id: flow.id,
    method: flow.method,
    state: flow.state,
    destination: flow.destination,
    providerId: flow.providerId,
    failure: flow.failure,
    linkedIdentityId: flow.linkedIdentityId,
    expiresAt: flow.expiresAt.toISOString(),
  };
}

export function removalJson(removal: IdentityRemovalDocument): RestIdentityRemoval {
  return {
    id: removal._id,
    identityId: removal.identityId,
    state: removal.state,
    failure: removal.failure,
    expiresAt: removal.expiresAt.toISOString(),
  };
}

/**
 * The JSON body read by its contract: the value, or undefined when optional and absent (no body,
 * or `{}`); BAD_USER_INPUT naming the field otherwise, BAD_REQUEST 415 for a body that is not JSON.
 */
function parsedBody<Schema extends z.ZodType>(req: Request, schema: Schema, { required }: { required: true }): z.infer<Schema>;
function parsedBody<Schema extends z.ZodType>(
  req: Request,
  schema: Schema,
  options: { required: false },
): z.infer<Schema> | undefined;
function parsedBody<Schema extends z.ZodType>(
  req: Request,
  schema: Schema,
  { required }: { required: boolean },
): z.infer<Schema> | undefined {
  if (hasContent(req) && req.is('application/json') === false) {
    throw new DomainError('BAD_REQUEST', 'The body must be JSON (content-type: application/json).', 415);
  }
  const body: unknown = req.body;
  const empty = body === undefined || (isPlainObject(body) && Object.keys(body).length === 0);
  if (empty && !required) return undefined;
  if (body === undefined) throw new BadUserInputError('The body must be a JSON object.', { field: 'body' });
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const [issue] = parsed.error.issues;
  if (issue?.code === 'unrecognized_keys') {
    const field = String(issue.keys[0]).slice(0, 50);
    throw new BadUserInputError(`Unknown field ${JSON.stringify(field)}.`, { field });
  }
  const field = issue?.path.join('.').slice(0, 50) || 'body';
  const message = field === 'body' ? 'The body must be a JSON object.' : `${field}: ${issue?.message ?? 'invalid'}.`;
  throw new BadUserInputError(message, { field });
}

/** A body of at least one byte (an empty POST says `content-length: 0`: that is no body). */
function hasContent(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
