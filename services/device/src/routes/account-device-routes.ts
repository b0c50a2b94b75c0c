import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { requireAuthenticated, type AuthenticatedCaller, type Caller } from '@messngr/kit/auth';
import { BadUserInputError, DomainError, UnauthenticatedError, type ErrorCode } from '@messngr/kit/errors';
import type { Logger } from '@messngr/kit/logging';
import type { RouteGuards } from '@messngr/kit/subgraph';
import type { DeviceRepository } from '../persistence/device.repository';
import { listDevices } from '../use-cases/list-devices';
import { revokeDevice, type RevokeDeviceDependencies } from '../use-cases/revoke-device';
import { deviceJson, parseIncludeRevoked, parseRevokeBody, type Parsed } from './device-json';

export const ACCOUNT_DEVICES_PATH = '/api/account/devices';

export interface AccountDeviceRoutesDependencies extends RevokeDeviceDependencies {
  devices: Pick<DeviceRepository, 'ofAccount' | 'change'>;
  logger: Logger;
}

/**
 * The caller's own devices over REST, beside GraphQL and thin over the same use cases:
 * - `GET /api/account/devices[?includeRevoked=true]` → 200 `{ devices: [Device] }`, newest first;
 * - `DELETE /api/account/devices/:id` with an optional JSON body `{ reason }` → 200 `{ device }`, revoked.
 * Only through the gateway (its assertion), and only for a signed-in caller. Refusals are
 * `{ error: { code, message[, field] } }` with GraphQL's codes: UNAUTHENTICATED 401,
 * BAD_USER_INPUT 400, NOT_FOUND 404; a malformed body is BAD_REQUEST 400 (415 when not JSON),
 * a large one REQUEST_TOO_LARGE 413.
 */
export function mountAccountDeviceRoutes(app: Express, deps: AccountDeviceRoutesDependencies, guards: RouteGuards): void {
  const routes = express.Router();
  routes.use(guards.gatewayOnly, (_req, res, next) => {
    res.setHeader('cache-control', 'no-store');
    next();
  });

  routes.get('/', (req, res) =>
    answer(res, deps.logger, async () => {
      const caller = signedIn(res);
      const includeRevoked = valueOf(parseIncludeRevoked(req.query['includeRevoked']));
      const devices = await listDevices(
        deps.devices,
        caller,
        { tenantId: caller.tenantId, id: caller.accountId },
        { includeRevoked },
      );
      return { devices: devices.map(deviceJson) };
    }),
  );

  routes.delete(
    '/:id',
    (_req, res, next) => (signedInOrRefuse(res) ? next() : undefined),
    express.json({ limit: '16kb' }),
    (req, res) =>
      answer(res, deps.logger, async () => {
        if (req.is('application/json') === false) {
          throw new DomainError(
            'BAD_REQUEST',
            'The body, when there is one, must be JSON (content-type: application/json).',
            415,
          );
        }
        const { reason } = valueOf(parseRevokeBody(req.body));
        const device = await revokeDevice(deps, signedIn(res), { deviceId: String(req.params['id']), reason });
        return { device: deviceJson(device) };
      }),
  );

  routes.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    const type = typeof error === 'object' && error !== null ? (error as { type?: unknown }).type : undefined;
    if (type === 'entity.too.large') return refuse(res, 413, 'REQUEST_TOO_LARGE', 'The request body is too large.');
    if (type === 'entity.parse.failed' || type === 'encoding.unsupported' || type === 'charset.unsupported') {
      return refuse(res, 400, 'BAD_REQUEST', 'The request body is not valid JSON.');
    }
    next(error);
  });
  app.use(ACCOUNT_DEVICES_PATH, routes);
}

/** The caller the gateway vouched for, when signed in; UNAUTHENTICATED otherwise. */
function signedIn(res: Response): AuthenticatedCaller {
  const caller: Caller | undefined = res.locals['caller'];
  return requireAuthenticated(caller ?? { roles: [] });
}

/** Refuses an anonymous caller before its body is read. */
function signedInOrRefuse(res: Response): boolean {
  try {
    signedIn(res);
    return true;
  } catch (error) {
    respondWithError(res, error as DomainError);
    return false;
  }
}

function valueOf<T>(parsed: Parsed<T>): T {
  if ('problem' in parsed) throw new BadUserInputError(parsed.problem, { field: parsed.field });
  return parsed.value;
}

/** Runs the work and answers 200 with its result, or the refusal in the REST shape; anything unexpected is logged and masked. */
async function answer(res: Response, logger: Logger, work: () => Promise<unknown>): Promise<void> {
  try {
    res.status(200).json(await work());
  } catch (error) {
    if (error instanceof DomainError) return respondWithError(res, error);
    logger.error({ err: error }, 'unexpected error in an account device route');
    refuse(res, 500, 'INTERNAL_SERVER_ERROR', 'Something went wrong.');
  }
}

function respondWithError(res: Response, error: DomainError): void {
  const field = typeof error.details?.['field'] === 'string' ? { field: error.details['field'] } : {};
  if (error instanceof UnauthenticatedError || error.code === 'UNAUTHENTICATED') res.setHeader('www-authenticate', 'Bearer');
  res.status(error.httpStatus).json({ error: { code: error.code, message: error.message, ...field } });
}

function refuse(res: Response, status: number, code: ErrorCode, message: string): void {
  res.status(status).json({ error: { code, message } });
}
