import express, { type Express } from 'express';
import { BadUserInputError, DomainError } from '@messngr/kit/errors';
import type { Logger } from '@messngr/kit/logging';
import { refuseAnonymous, restAnswerer, restBodyErrors, restCaller, restOk, type RouteGuards } from '@messngr/kit/subgraph';
import type { DeviceRepository } from '../persistence/device.repository';
import { listDevices } from '../use-cases/list-devices';
import { revokeDevice, type RevokeDeviceDependencies } from '../use-cases/revoke-device';
import { deviceJson, parseIncludeRevoked, parseRevokeBody, type Parsed } from './device-json';

export const ACCOUNT_DEVICES_PATH = '/api/account/devices';

export interface AccountDeviceRoutesDependencies extends RevokeDeviceDependencies {
  devices: Pick<DeviceRepository, 'ofAccount' | 'change' | 'findById' | 'acrossTenants'>;
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
  const respond = restAnswerer(deps.logger, 'an account device route');
  routes.use(guards.gatewayOnly, (_req, res, next) => {
    res.setHeader('cache-control', 'no-store');
    next();
  });

  routes.get('/', (req, res) =>
    respond(res, async () => {
      const caller = restCaller(res);
      const includeRevoked = valueOf(parseIncludeRevoked(req.query['includeRevoked']));
      const devices = await listDevices(
        deps.devices,
        caller,
        { tenantId: caller.tenantId, id: caller.accountId },
        { includeRevoked },
      );
      return restOk({ devices: devices.map(deviceJson) });
    }),
  );

  routes.delete('/:id', refuseAnonymous, express.json({ limit: '16kb' }), (req, res) =>
    respond(res, async () => {
      if (req.is('application/json') === false) {
        throw new DomainError('BAD_REQUEST', 'The body, when there is one, must be JSON (content-type: application/json).', 415);
      }
      const { reason } = valueOf(parseRevokeBody(req.body));
      const device = await revokeDevice(deps, restCaller(res), { deviceId: String(req.params['id']), reason });
      return restOk({ device: deviceJson(device) });
    }),
  );

  routes.use(restBodyErrors());
  app.use(ACCOUNT_DEVICES_PATH, routes);
}

function valueOf<T>(parsed: Parsed<T>): T {
  if ('problem' in parsed) throw new BadUserInputError(parsed.problem, { field: parsed.field });
  return parsed.value;
}
