import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Caller } from '@messngr/kit/auth';
import { asTenantId } from '@messngr/kit/core';
import { createLogger } from '@messngr/kit/logging';
import type { RouteGuards } from '@messngr/kit/subgraph';
import type { NewAggregate } from '@messngr/kit/mongo';
import type { DeviceDocument } from '../persistence/device.model';
import { aDevice } from '../persistence/device-fixture';
import { InMemoryDeviceSlots } from '../persistence/in-memory-device-slots';
import { InMemoryDeviceStore } from '../persistence/in-memory-device-store';
import { mountAccountDeviceRoutes } from './account-device-routes';
import { parseIncludeRevoked, parseRevokeBody } from './device-json';

const NOW = new Date('2026-11-23T10:00:00.000Z');
const tenantA = asTenantId('ten_a');
const kari: Caller = { tenantId: tenantA, accountId: 'acc_kari', roles: [] };

/** Stands in for the kit's guard: the caller comes from a test header, and no header is refused like no assertion. */
const guards: RouteGuards = {
  gatewayOnly: async (req, res, next) => {
    const caller = req.header('x-test-caller');
    if (!caller)
      return void res.status(401).json({ errors: [{ message: 'no assertion', extensions: { code: 'UNAUTHENTICATED' } }] });
    res.locals['caller'] = JSON.parse(caller) as Caller;
    next();
  },
};

function device(id: string, accountId = 'acc_kari'): NewAggregate<DeviceDocument> {
  return aDevice(id, { accountId, sessionId: 'ses_1' });
}

describe('the account device routes', () => {
  let server: Server;
  let base: string;
  let devices: InMemoryDeviceStore;

  beforeAll(async () => {
    const app = express();
    const logger = createLogger({ service: 'device', level: 'silent' });
    mountAccountDeviceRoutes(
      app,
      {
        devices: {
          ofAccount: (...a) => devices.ofAccount(...a),
          change: (...a) => devices.change(...a),
          findById: (...a) => devices.findById(...a),
          acrossTenants: (admin) => devices.acrossTenants(admin),
        },
        slots: new InMemoryDeviceSlots(),
        clock: { now: () => NOW },
        logger,
      },
      guards,
    );
    server = createServer(app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/account/devices`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(async () => {
    devices = new InMemoryDeviceStore(() => NOW);
    await devices.insert(device('dev_1'), []);
    await devices.insert(device('dev_ola', 'acc_ola'), []);
  });

  const as = (caller: Caller | null, init: RequestInit = {}) => ({
    ...init,
    headers: {
      ...(caller ? { 'x-test-caller': JSON.stringify(caller) } : {}),
      ...(init.headers as Record<string, string> | undefined),
    },
  });
  const call = async (path: string, init: RequestInit) => {
    const response = await fetch(`${base}${path}`, init);
    return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
  };

  it("lists the caller's devices, and revoked ones on request", async () => {
    await call('/dev_1', as(kari, { method: 'DELETE' }));
    expect((await call('', as(kari))).body).toEqual({ devices: [] });
    const all = await call('?includeRevoked=true', as(kari));
    expect(all.status).toBe(200);
    expect(all.headers.get('cache-control')).toBe('no-store');
    expect(all.body).toEqual({
      devices: [
        {
          id: 'dev_1',
          name: 'Pixel 8',
          platform: 'ANDROID',
          publicKeyFingerprint: null,
          status: 'REVOKED',
          registeredAt: '2026-11-23T09:00:00.000Z',
          lastHandshakeAt: null,
          revokedAt: NOW.toISOString(),
          revokedBy: { kind: 'OWNER', accountId: 'acc_kari', sessionId: null, sessionEndReason: null },
          revocationReason: null,
        },
      ],
    });
  });

  it('revokes with a reason in a JSON body, or with no body at all', async () => {
    const withReason = await call(
      '/dev_1',
      as(kari, { method: 'DELETE', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'lost' }) }),
    );
    expect(withReason).toMatchObject({
      status: 200,
      body: { device: { id: 'dev_1', status: 'REVOKED', revocationReason: 'lost' } },
    });
    await devices.insert(device('dev_2'), []);
    expect(await call('/dev_2', as(kari, { method: 'DELETE' }))).toMatchObject({
      status: 200,
      body: { device: { id: 'dev_2', revocationReason: null } },
    });
  });

  it.each<[string, string, RequestInit, Caller | null, number, string]>([
    ['no signed-in caller (list)', '', {}, { roles: [] }, 401, 'UNAUTHENTICATED'],
    ['no signed-in caller (revoke)', '/dev_1', { method: 'DELETE' }, { roles: [] }, 401, 'UNAUTHENTICATED'],
    ['an unknown device', '/dev_nobody', { method: 'DELETE' }, kari, 404, 'NOT_FOUND'],
    ["another account's device", '/dev_ola', { method: 'DELETE' }, kari, 404, 'NOT_FOUND'],
    ['includeRevoked that is not a boolean', '?includeRevoked=yes', {}, kari, 400, 'BAD_USER_INPUT'],
    ['includeRevoked twice', '?includeRevoked=true&includeRevoked=false', {}, kari, 400, 'BAD_USER_INPUT'],
    [
      'a reason that is not a string',
      '/dev_1',
      { method: 'DELETE', headers: { 'content-type': 'application/json' }, body: '{"reason":42}' },
      kari,
      400,
      'BAD_USER_INPUT',
    ],
    [
      'a blank reason',
      '/dev_1',
      { method: 'DELETE', headers: { 'content-type': 'application/json' }, body: '{"reason":"  "}' },
      kari,
      400,
      'BAD_USER_INPUT',
    ],
    [
      'an unknown field',
      '/dev_1',
      { method: 'DELETE', headers: { 'content-type': 'application/json' }, body: '{"why":"lost"}' },
      kari,
      400,
      'BAD_USER_INPUT',
    ],
    [
      'a JSON array',
      '/dev_1',
      { method: 'DELETE', headers: { 'content-type': 'application/json' }, body: '["lost"]' },
      kari,
      400,
      'BAD_USER_INPUT',
    ],
    [
      'malformed JSON',
      '/dev_1',
      { method: 'DELETE', headers: { 'content-type': 'application/json' }, body: '{"reason":' },
      kari,
      400,
      'BAD_REQUEST',
    ],
    [
      'a body that is not JSON',
      '/dev_1',
      { method: 'DELETE', headers: { 'content-type': 'text/plain' }, body: 'lost' },
      kari,
      415,
      'BAD_REQUEST',
    ],
    [
      'a body over 16 kB',
      '/dev_1',
      { method: 'DELETE', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'x'.repeat(20_000) }) },
      kari,
      413,
      'REQUEST_TOO_LARGE',
    ],
  ])('refuses %s in the REST shape, and changes nothing', async (_what, path, init, caller, status, code) => {
    const answer = await call(path, as(caller, init));
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({
      error: { code, message: expect.any(String), ...(code === 'BAD_USER_INPUT' ? { field: expect.any(String) } : {}) },
    });
    expect(devices.published).toEqual([]);
  });

  it('says where to authenticate when the caller is anonymous', async () => {
    expect((await call('', as({ roles: [] }))).headers.get('www-authenticate')).toBe('Bearer');
  });

  it('is behind the gateway guard: without it the guard answers', async () => {
    expect((await call('', as(null))).status).toBe(401);
    expect((await call('/dev_1', as(null, { method: 'DELETE' }))).status).toBe(401);
  });
});

describe('reading REST input', () => {
  it('takes includeRevoked as absent, true or false only', () => {
    expect(parseIncludeRevoked(undefined)).toEqual({ value: false });
    expect(parseIncludeRevoked('true')).toEqual({ value: true });
    expect(parseIncludeRevoked('false')).toEqual({ value: false });
    for (const value of ['', '1', 'TRUE', ['true'], { a: 'b' }]) expect(parseIncludeRevoked(value)).toHaveProperty('problem');
  });

  it('takes a revoke body as nothing, or an object with an optional string reason', () => {
    expect(parseRevokeBody(undefined)).toEqual({ value: { reason: null } });
    expect(parseRevokeBody({})).toEqual({ value: { reason: null } });
    expect(parseRevokeBody({ reason: null })).toEqual({ value: { reason: null } });
    expect(parseRevokeBody({ reason: 'lost' })).toEqual({ value: { reason: 'lost' } });
    expect(parseRevokeBody({ reason: 1 })).toMatchObject({ field: 'reason' });
    expect(parseRevokeBody({ reason: 'lost', extra: true })).toMatchObject({ field: 'extra' });
    expect(parseRevokeBody('lost')).toMatchObject({ field: 'body' });
    expect(parseRevokeBody(null)).toMatchObject({ field: 'body' });
  });
});
