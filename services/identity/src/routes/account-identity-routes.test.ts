import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import {
  restConfirmedIdentityRemovalSchema,
  restErrorSchema,
  restIdentityListSchema,
  restRequestedIdentityRemovalSchema,
  restStartedIdentityLinkSchema,
  restVerifiedIdentityLinkSchema,
} from '@messngr/contracts';
import type { Caller } from '@messngr/kit/auth';
import { asTenantId } from '@messngr/kit/core';
import { DomainError, NotFoundError } from '@messngr/kit/errors';
import { decodeCookieRequests, SET_COOKIE_HEADER } from '@messngr/kit/http';
import { createLogger } from '@messngr/kit/logging';
import type { RouteGuards } from '@messngr/kit/subgraph';
import type { StoredIdentity } from '../domain/identity';
import type { IdentityRemovalDocument } from '../persistence/identity-removal.model';
import type { IdentityLinkFlowView } from '../use-cases/identity-link';
import { mountAccountIdentityRoutes, type AccountIdentityOperations } from './account-identity-routes';

const NOW = new Date('2026-11-23T10:00:00.000Z');
const LATER = new Date('2026-11-23T10:10:00.000Z');
const tenantA = asTenantId('ten_a');
const kari: Caller = { tenantId: tenantA, accountId: 'acc_kari', sessionId: 'ses_1', roles: [] };

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

const email: StoredIdentity = {
  id: 'idn_1',
  kind: 'EMAIL',
  providerId: null,
  value: 'kari@example.com',
  issuer: null,
  subject: null,
  displayValue: 'k***@example.com',
  verified: true,
  verifiedAt: NOW,
  linkedAt: NOW,
  lastUsedAt: null,
};
const upstream: StoredIdentity = {
  id: 'idn_2',
  kind: 'OIDC',
  providerId: 'idp_corp',
  value: null,
  issuer: 'https://sso.example.com',
  subject: 'subject-1234',
  displayValue: 'kari@corp.example',
  verified: true,
  verifiedAt: NOW,
  linkedAt: NOW,
  lastUsedAt: LATER,
};
const codeFlow: IdentityLinkFlowView = {
  id: 'lfl_1',
  method: 'EMAIL',
  state: 'CODE_SENT',
  destination: 'k***@work.example',
  providerId: null,
  failure: null,
  linkedIdentityId: null,
  expiresAt: LATER,
};
const removal: IdentityRemovalDocument = {
  _id: 'rmv_abc',
  version: 1,
  tenantId: tenantA,
  accountId: 'acc_kari',
  sessionId: 'ses_1',
  identityId: 'idn_1',
  confirmationHash: 'hash',
  state: 'REQUESTED',
  failure: null,
  issuedAt: NOW,
  expiresAt: LATER,
} as IdentityRemovalDocument;

type Calls = { operation: keyof AccountIdentityOperations; caller: Caller; command?: unknown }[];

/** Operations that answer fixed results, record what they were asked, and throw what a test tells them to. */
function standInOperations(calls: Calls, failure: { next?: unknown }): AccountIdentityOperations {
  const run = async <T>(operation: keyof AccountIdentityOperations, caller: Caller, command: unknown, result: T): Promise<T> => {
    calls.push({ operation, caller, ...(command === undefined ? {} : { command }) });
    if (failure.next !== undefined) throw failure.next;
    return result;
  };
  return {
    list: (caller) => run('list', caller, undefined, [email, upstream]),
    startLink: (caller, command) =>
      run(
        'startLink',
        caller,
        command,
        command.method === 'PROVIDER'
          ? {
              flow: {
                ...codeFlow,
                id: 'pfl_1',
                method: 'PROVIDER',
                state: 'WAITING_FOR_PROVIDER',
                destination: null,
                providerId: 'idp_corp',
              },
              authorizeUrl: 'https://sso.example.com/authorize?state=s',
              browserBinding: { name: 'mfl_abc', value: 'binding', callbackPath: '/t/acme/callback', maxAgeSeconds: 600 },
            }
          : { flow: codeFlow, authorizeUrl: null, browserBinding: null },
      ),
    verifyLinkCode: (caller, command) =>
      run('verifyLinkCode', caller, command, {
        flow: { ...codeFlow, state: 'LINKED', linkedIdentityId: 'idn_3' },
        identity: { ...email, id: 'idn_3', value: 'kari@work.example', displayValue: 'k***@work.example' },
      }),
    requestRemoval: (caller, command) => run('requestRemoval', caller, command, { removal, confirmation: 'once-only' }),
    confirmRemoval: (caller, command) =>
      run('confirmRemoval', caller, command, {
        removal: { ...removal, state: 'CONFIRMED' } as IdentityRemovalDocument,
        removed: email,
      }),
  };
}

describe('the account identity routes', () => {
  let server: Server;
  let base: string;
  let calls: Calls;
  const failure: { next?: unknown } = {};
  const logged: string[] = [];

  beforeAll(async () => {
    const app = express();
    const logger = createLogger({
      service: 'identity',
      level: 'error',
      destination: { write: (line: string) => void logged.push(line) },
    });
    mountAccountIdentityRoutes(app, standInOperations((calls = []), failure), guards, logger);
    server = createServer(app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/account/identities`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    calls.splice(0);
    logged.splice(0);
    delete failure.next;
  });

  const as = (caller: Caller | null, init: RequestInit = {}) => ({
    ...init,
    headers: {
      ...(caller ? { 'x-test-caller': JSON.stringify(caller) } : {}),
      ...(init.headers as Record<string, string> | undefined),
    },
  });
  const withJson = (method: string, body: unknown): RequestInit => ({
    method,
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const call = async (path: string, init: RequestInit) => {
    const response = await fetch(`${base}${path}`, init);
    return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
  };

  it("lists the caller's identities as people may see them: never the value, issuer or subject", async () => {
    const listed = await call('', as(kari));
    expect(listed.status).toBe(200);
    expect(listed.headers.get('cache-control')).toBe('no-store');
    expect(restIdentityListSchema.parse(listed.body)).toEqual({
      identities: [
        {
          id: 'idn_1',
          kind: 'EMAIL',
          providerId: null,
          displayValue: 'k***@example.com',
          verified: true,
          verifiedAt: NOW.toISOString(),
          linkedAt: NOW.toISOString(),
          lastUsedAt: null,
        },
        expect.objectContaining({ id: 'idn_2', kind: 'OIDC', providerId: 'idp_corp', lastUsedAt: LATER.toISOString() }),
      ],
    });
    const text = JSON.stringify(listed.body);
    for (const secret of ['kari@example.com', 'sso.example.com', 'subject-1234']) expect(text).not.toContain(secret);
    expect(calls).toEqual([{ operation: 'list', caller: kari }]);
  });

  it('starts a link by code: 202 with the flow, and asks for no cookie', async () => {
    const started = await call('', as(kari, withJson('POST', { method: 'EMAIL', email: 'kari@work.example', locale: 'nb-NO' })));
    expect(started.status).toBe(202);
    expect(restStartedIdentityLinkSchema.parse(started.body)).toEqual({
      flow: { ...codeFlow, expiresAt: LATER.toISOString() },
      authorizeUrl: null,
    });
    expect(started.headers.get(SET_COOKIE_HEADER)).toBeNull();
    expect(calls).toEqual([
      { operation: 'startLink', caller: kari, command: { method: 'EMAIL', email: 'kari@work.example', locale: 'nb-NO' } },
    ]);
  });

  it("starts a provider link: the authorize URL, and a request for the flow's browser-binding cookie", async () => {
    const command = { method: 'PROVIDER', providerId: 'idp_corp', returnTo: 'https://app.example.com/' };
    const started = await call('', as(kari, withJson('POST', command)));
    expect(started).toMatchObject({
      status: 202,
      body: { flow: { id: 'pfl_1', state: 'WAITING_FOR_PROVIDER' }, authorizeUrl: 'https://sso.example.com/authorize?state=s' },
    });
    expect(decodeCookieRequests(started.headers.get(SET_COOKIE_HEADER) ?? '')).toEqual([
      { name: 'mfl_abc', value: 'binding', domain: null, maxAgeSeconds: 600, callbackPath: '/t/acme/callback' },
    ]);
    expect(JSON.stringify(started.body)).not.toContain('binding');
  });

  it('links by the code: 200 with the flow and the identity', async () => {
    const verified = await call('/link-flows/lfl_1/code', as(kari, withJson('POST', { code: '123456' })));
    expect(verified.status).toBe(200);
    expect(restVerifiedIdentityLinkSchema.parse(verified.body)).toMatchObject({
      flow: { id: 'lfl_1', state: 'LINKED', linkedIdentityId: 'idn_3' },
      identity: { id: 'idn_3', displayValue: 'k***@work.example' },
    });
    expect(JSON.stringify(verified.body)).not.toContain('kari@work.example');
    expect(calls).toEqual([{ operation: 'verifyLinkCode', caller: kari, command: { flowId: 'lfl_1', code: '123456' } }]);
  });

  it('removes in two steps: a DELETE without a body requests, one with the confirmation confirms', async () => {
    const requested = await call('/idn_1', as(kari, { method: 'DELETE' }));
    expect(requested.status).toBe(202);
    expect(restRequestedIdentityRemovalSchema.parse(requested.body)).toEqual({
      removal: { id: 'rmv_abc', identityId: 'idn_1', state: 'REQUESTED', failure: null, expiresAt: LATER.toISOString() },
      confirmation: 'once-only',
    });
    expect((await call('/idn_1', as(kari, withJson('DELETE', {})))).status).toBe(202);

    const confirmed = await call('/idn_1', as(kari, withJson('DELETE', { removalId: 'rmv_abc', confirmation: 'once-only' })));
    expect(confirmed.status).toBe(200);
    expect(restConfirmedIdentityRemovalSchema.parse(confirmed.body)).toEqual({
      removal: expect.objectContaining({ id: 'rmv_abc', state: 'CONFIRMED' }),
      removedIdentityId: 'idn_1',
    });
    expect(calls.map(({ operation, command }) => [operation, command])).toEqual([
      ['requestRemoval', { identityId: 'idn_1' }],
      ['requestRemoval', { identityId: 'idn_1' }],
      ['confirmRemoval', { identityId: 'idn_1', removalId: 'rmv_abc', confirmation: 'once-only' }],
    ]);
  });

  it('lets a recovery session through to the use cases, which decide what it may do (as in GraphQL)', async () => {
    const recovering: Caller = { ...kari, restricted: true };
    expect((await call('', as(recovering))).status).toBe(200);
    expect(calls).toEqual([{ operation: 'list', caller: recovering }]);
  });

  it.each<[string, string, RequestInit, Caller | null, number, string, string | null]>([
    ['no signed-in caller (list)', '', {}, { roles: [] }, 401, 'UNAUTHENTICATED', null],
    ['no signed-in caller (link)', '', withJson('POST', { method: 'EMAIL' }), { roles: [] }, 401, 'UNAUTHENTICATED', null],
    ['no signed-in caller (remove)', '/idn_1', { method: 'DELETE' }, { roles: [] }, 401, 'UNAUTHENTICATED', null],
    ['a link without a body', '', { method: 'POST' }, kari, 400, 'BAD_USER_INPUT', 'body'],
    ['an unknown method', '', withJson('POST', { method: 'CARRIER_PIGEON' }), kari, 400, 'BAD_USER_INPUT', 'method'],
    ['an email that is not a string', '', withJson('POST', { method: 'EMAIL', email: 42 }), kari, 400, 'BAD_USER_INPUT', 'email'],
    ['an unknown field', '', withJson('POST', { method: 'EMAIL', admin: true }), kari, 400, 'BAD_USER_INPUT', 'admin'],
    ['a JSON array', '', withJson('POST', '[{"method":"EMAIL"}]'), kari, 400, 'BAD_USER_INPUT', 'body'],
    [
      'a code that is not a string',
      '/link-flows/lfl_1/code',
      withJson('POST', { code: 123456 }),
      kari,
      400,
      'BAD_USER_INPUT',
      'code',
    ],
    [
      'a confirmation without its removal',
      '/idn_1',
      withJson('DELETE', { confirmation: 'x' }),
      kari,
      400,
      'BAD_USER_INPUT',
      'removalId',
    ],
    ['malformed JSON', '', withJson('POST', '{"method":'), kari, 400, 'BAD_REQUEST', null],
    [
      'a body that is not JSON',
      '',
      { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'EMAIL' },
      kari,
      415,
      'BAD_REQUEST',
      null,
    ],
    [
      'a body over 16 kB',
      '',
      withJson('POST', { method: 'EMAIL', email: 'x'.repeat(20_000) }),
      kari,
      413,
      'REQUEST_TOO_LARGE',
      null,
    ],
    ['an unknown route', '/idn_1/somewhere', {}, kari, 404, 'NOT_FOUND', null],
  ])('refuses %s in the REST shape, before any use case', async (_what, path, init, caller, status, code, field) => {
    const answer = await call(path, as(caller, init));
    expect(answer.status).toBe(status);
    expect(restErrorSchema.parse(answer.body)).toEqual({
      error: { code, message: expect.any(String), ...(field ? { field } : {}) },
    });
    expect(calls).toEqual([]);
  });

  it('says where to authenticate when the caller is anonymous', async () => {
    expect((await call('', as({ roles: [] }))).headers.get('www-authenticate')).toBe('Bearer');
  });

  it.each<[string, DomainError, number, Record<string, unknown>]>([
    ['not found', new NotFoundError('Identity'), 404, {}],
    [
      'a stale session',
      new DomainError('REAUTH_REQUIRED', 'Confirm it is you first.', 403, { maxAgeSeconds: 600 }),
      403,
      { maxAgeSeconds: 600 },
    ],
    ['the last verified identity', new DomainError('LAST_VERIFIED_IDENTITY', 'Keep one.', 409), 409, {}],
    ['too many codes', new DomainError('RATE_LIMITED', 'Later.', 429, { retryAfterSeconds: 90 }), 429, { retryAfterSeconds: 90 }],
  ])("answers a use case's refusal (%s) with its code, status and details", async (_what, error, status, details) => {
    failure.next = error;
    for (const [path, init] of [
      ['', {}],
      ['', withJson('POST', { method: 'EMAIL', email: 'kari@work.example' })],
      ['/link-flows/lfl_1/code', withJson('POST', { code: '123456' })],
      ['/idn_1', { method: 'DELETE' }],
      ['/idn_1', withJson('DELETE', { removalId: 'rmv_abc', confirmation: 'once-only' })],
    ] as const) {
      const answer = await call(path, as(kari, init));
      expect(answer.status).toBe(status);
      expect(restErrorSchema.parse(answer.body)).toEqual({ error: { code: error.code, message: error.message, ...details } });
      expect(answer.headers.get('retry-after')).toBe(status === 429 ? '90' : null);
    }
  });

  it('masks anything unexpected as INTERNAL_SERVER_ERROR and logs it without the request', async () => {
    failure.next = new Error('the database is on fire');
    const answer = await call('/idn_1', as(kari, withJson('DELETE', { removalId: 'rmv_abc', confirmation: 'once-only' })));
    expect(answer).toMatchObject({
      status: 500,
      body: { error: { code: 'INTERNAL_SERVER_ERROR', message: 'Something went wrong.' } },
    });
    expect(JSON.stringify(answer.body)).not.toContain('fire');
    expect(logged.join('\n')).toContain('the database is on fire');
    expect(logged.join('\n')).not.toContain('once-only');
  });

  it('is behind the gateway guard: without it the guard answers', async () => {
    expect((await call('', as(null))).status).toBe(401);
    expect((await call('', as(null, withJson('POST', { method: 'EMAIL' })))).status).toBe(401);
    expect((await call('/idn_1', as(null, { method: 'DELETE' }))).status).toBe(401);
    expect(calls).toEqual([]);
  });
});
