import { asTenantId } from '@messngr/kit/core';
import {
  authorizationRecordId,
  consumptionMarkerId,
  foundPayload,
  isLive,
  normalizeUserCode,
  recordFields,
} from './store-adapter';

const TENANT = asTenantId('ten_a');
const NOW = new Date('2030-01-01T00:00:00.000Z');
const CODE_ID = 'Yq3v8pXbW1c2d3e4f5g6h7i8j9k0lMnO';

describe('authorization store: stored form', () => {
  it('names a record by tenant, model and the hash of its id, never the id itself', () => {
    const recordId = authorizationRecordId(TENANT, 'AuthorizationCode', CODE_ID);
    expect(recordId).toMatch(/^ten_a:AuthorizationCode:[A-Za-z0-9_-]{43}$/);
    expect(recordId).not.toContain(CODE_ID);
    expect(authorizationRecordId(asTenantId('ten_b'), 'AuthorizationCode', CODE_ID)).not.toBe(recordId);
    expect(authorizationRecordId(TENANT, 'RefreshToken', CODE_ID)).not.toBe(recordId);
    expect(consumptionMarkerId(recordId)).toBe(`${recordId}:consumed`);
  });

  it('normalizes user codes as oidc-provider does', () => {
    expect(normalizeUserCode('abcd-efgh')).toBe('ABCDEFGH');
    expect(normalizeUserCode('AB CD.ef')).toBe('ABCDEF');
  });

  it('keeps the payload as JSON without its own id or consumption, the grant plain and the lookups hashed', () => {
    const payload = { jti: CODE_ID, kind: 'AuthorizationCode', grantId: 'grant-1', uid: 'uid-1', consumed: 1_893_456_000 };
    const fields = recordFields(TENANT, 'AuthorizationCode', CODE_ID, payload, 60, NOW);
    expect(fields).toEqual({
      tenantId: TENANT,
      model: 'AuthorizationCode',
      payload: JSON.stringify({ kind: 'AuthorizationCode', grantId: 'grant-1', uid: 'uid-1' }),
      grantId: 'grant-1',
      userCodeHash: null,
      uidHash: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      expiresAt: new Date('2030-01-01T00:01:00.000Z'),
      consumedAt: new Date(1_893_456_000 * 1000),
    });
    expect(JSON.stringify(fields)).not.toContain(CODE_ID);
    expect(payload.jti).toBe(CODE_ID); // the caller's payload is left alone
  });

  it('keeps the id of a device code, which is found by user code and saved back under it', () => {
    const fields = recordFields(TENANT, 'DeviceCode', CODE_ID, { jti: CODE_ID, userCode: 'ABCD-EFGH' }, undefined, NOW);
    expect(JSON.parse(fields.payload!)).toEqual({ jti: CODE_ID, userCode: 'ABCD-EFGH' });
    expect(fields.userCodeHash).toBe(recordFields(TENANT, 'DeviceCode', 'x', { userCode: 'abcdefgh' }, 1, NOW).userCodeHash);
    expect(fields.expiresAt).toBeNull();
    expect(fields.consumedAt).toBeNull();
  });

  it('hands the payload back with the id it was found by and `consumed` in epoch seconds', () => {
    const stored = { payload: JSON.stringify({ kind: 'AuthorizationCode' }), consumedAt: new Date('2030-01-01T00:00:09.900Z') };
    expect(foundPayload(stored, CODE_ID)).toEqual({ kind: 'AuthorizationCode', jti: CODE_ID, consumed: 1_893_456_009 });
    expect(foundPayload({ payload: JSON.stringify({ jti: 'kept' }), consumedAt: null }, CODE_ID)).toEqual({ jti: 'kept' });
  });

  it('treats a record as gone from the instant it expires', () => {
    expect(isLive({ expiresAt: null }, NOW)).toBe(true);
    expect(isLive({ expiresAt: new Date(NOW.getTime() + 1) }, NOW)).toBe(true);
    expect(isLive({ expiresAt: NOW }, NOW)).toBe(false);
  });
});
