import { generateKeyPairSync, sign } from 'node:crypto';
import type { Caller } from '@messngr/kit/auth';
import { asTenantId } from '@messngr/kit/core';
import { DomainError } from '@messngr/kit/errors';
import type { NewAggregate } from '@messngr/kit/mongo';
import { HANDSHAKE_NONCE_TTL_MS } from '../domain/device-handshake';
import { UNCOUNTED, type HandshakeOutcome } from '../device-metrics';
import type { DeviceDocument } from '../persistence/device.model';
import { aDevice } from '../persistence/device-fixture';
import { InMemoryDeviceStore } from '../persistence/in-memory-device-store';
import { completeDeviceHandshake, startDeviceHandshake } from './device-handshake';

const NOW = new Date('2026-11-23T10:00:00.000Z');
const tenantA = asTenantId('ten_a');
const kari: Caller = { tenantId: tenantA, accountId: 'acc_kari', roles: [], clientIp: '203.0.113.7', userAgent: 'Pixel' };
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const jwk = publicKey.export({ format: 'jwk' });
const signed = (message: string) => sign(null, Buffer.from(message), privateKey).toString('base64url');

function device(id: string, overrides: Partial<NewAggregate<DeviceDocument>> = {}): NewAggregate<DeviceDocument> {
  return aDevice(id, {
    publicKey: { kty: 'OKP', crv: 'Ed25519', x: jwk.x! },
    publicKeyFingerprint: 'fp',
    registeredAt: NOW,
    ...overrides,
  });
}

async function setup() {
  let now = NOW;
  const devices = new InMemoryDeviceStore(() => now);
  await devices.insert(device('dev_1'), []);
  await devices.insert(device('dev_keyless', { publicKey: null }), []);
  await devices.insert(device('dev_ola', { accountId: 'acc_ola' }), []);
  const counted: HandshakeOutcome[] = [];
  let n = 0;
  const deps = {
    devices,
    clock: { now: () => now },
    metrics: { ...UNCOUNTED, handshake: (outcome: HandshakeOutcome) => void counted.push(outcome) },
    nonce: () => `nonce-${(n += 1)}`,
  };
  return { deps, devices, counted, later: (ms: number) => (now = new Date(NOW.getTime() + ms)) };
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error instanceof DomainError ? error.code : 'UNEXPECTED';
  }
}

describe('the device handshake, end to end in memory', () => {
  it('records the handshake with where it came from, publishes it, and counts it', async () => {
    const { deps, devices, counted } = await setup();
    const started = await startDeviceHandshake(deps, kari, 'dev_1');
    expect(started).toEqual({
      nonce: 'nonce-1',
      message: 'messngr-device-handshake:v1:dev_1:nonce-1',
      expiresAt: new Date(NOW.getTime() + HANDSHAKE_NONCE_TTL_MS),
    });
    expect(JSON.stringify(await devices.findById(tenantA, 'dev_1'))).not.toContain('nonce-1');

    const done = await completeDeviceHandshake(deps, kari, {
      deviceId: 'dev_1',
      nonce: started.nonce,
      signature: signed(started.message),
    });
    expect(done).toMatchObject({ lastHandshakeAt: NOW, lastHandshakeIp: '203.0.113.7', lastHandshakeUserAgent: 'Pixel' });
    expect(devices.published.at(-1)).toMatchObject({
      type: 'device.device.handshake_completed',
      partitionkey: 'acc_kari',
      clientip: '203.0.113.7',
      data: { handshakeAt: NOW.toISOString() },
    });
    expect(counted).toEqual(['COMPLETED']);
  });

  it('lets one of concurrent completions with one nonce through; the others are replays, counted', async () => {
    const { deps, devices, counted } = await setup();
    const started = await startDeviceHandshake(deps, kari, 'dev_1');
    const attempt = { deviceId: 'dev_1', nonce: started.nonce, signature: signed(started.message) };
    const codes = await Promise.all(Array.from({ length: 5 }, () => codeOf(completeDeviceHandshake(deps, kari, attempt))));
    expect(codes.filter((code) => code === undefined)).toHaveLength(1);
    expect(codes.filter((code) => code === 'HANDSHAKE_NONCE_REPLAYED')).toHaveLength(4);
    expect(devices.published.filter((event) => event.type === 'device.device.handshake_completed')).toHaveLength(1);
    expect(counted.sort()).toEqual(['COMPLETED', ...Array(4).fill('HANDSHAKE_NONCE_REPLAYED')].sort());
  });

  it('refuses a forged signature and an expired nonce, changing nothing', async () => {
    const { deps, devices, counted, later } = await setup();
    const started = await startDeviceHandshake(deps, kari, 'dev_1');
    const before = await devices.findById(tenantA, 'dev_1');
    expect(
      await codeOf(completeDeviceHandshake(deps, kari, { deviceId: 'dev_1', nonce: started.nonce, signature: signed('other') })),
    ).toBe('HANDSHAKE_SIGNATURE_INVALID');
    later(HANDSHAKE_NONCE_TTL_MS);
    const genuine = { deviceId: 'dev_1', nonce: started.nonce, signature: signed(started.message) };
    expect(await codeOf(completeDeviceHandshake(deps, kari, genuine))).toBe('HANDSHAKE_NONCE_EXPIRED');
    expect(await devices.findById(tenantA, 'dev_1')).toEqual(before);
    expect(counted).toEqual(['HANDSHAKE_SIGNATURE_INVALID', 'HANDSHAKE_NONCE_EXPIRED']);
  });

  it.each<[string, string, Caller, string]>([
    ['another account’s device', 'dev_ola', kari, 'NOT_FOUND'],
    ['a device of another tenant', 'dev_1', { ...kari, tenantId: asTenantId('ten_b') }, 'NOT_FOUND'],
    ['a device without a key', 'dev_keyless', kari, 'DEVICE_HAS_NO_KEY'],
    ['an anonymous caller', 'dev_1', { roles: [] }, 'UNAUTHENTICATED'],
  ])('will not start a handshake for %s', async (_what, deviceId, caller, code) => {
    const { deps } = await setup();
    expect(await codeOf(startDeviceHandshake(deps, caller, deviceId))).toBe(code);
  });

  it('will not start one for a revoked device', async () => {
    const { deps, devices } = await setup();
    await devices.insert(device('dev_revoked', { revokedAt: NOW }), []);
    expect(await codeOf(startDeviceHandshake(deps, kari, 'dev_revoked'))).toBe('DEVICE_REVOKED');
  });
});
