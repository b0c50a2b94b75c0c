import { asTenantId } from '@messngr/kit/core';
import { PermanentEventError } from '@messngr/kit/events';
import type { NewAggregate } from '@messngr/kit/mongo';
import { UNCOUNTED, type ObservedHandshakeOutcome } from '../device-metrics';
import type { DeviceDocument } from '../persistence/device.model';
import { aDevice } from '../persistence/device-fixture';
import { InMemoryDeviceStore } from '../persistence/in-memory-device-store';
import { OBSERVED_HANDSHAKE_CLOCK_SKEW_MS, recordObservedHandshake } from './observed-handshake';

const NOW = new Date('2026-12-02T10:00:00.000Z');
const tenantA = asTenantId('ten_a');
const KEY = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' } as const;

function device(id: string, overrides: Partial<NewAggregate<DeviceDocument>> = {}): NewAggregate<DeviceDocument> {
  return aDevice(id, { publicKey: KEY, publicKeyFingerprint: 'fp', registeredAt: NOW, ...overrides });
}

async function setup() {
  const devices = new InMemoryDeviceStore(() => NOW);
  await devices.insert(device('dev_1'), []);
  await devices.insert(device('dev_keyless', { publicKey: null }), []);
  await devices.insert(device('dev_revoked', { revokedAt: NOW }), []);
  const counted: ObservedHandshakeOutcome[] = [];
  const deps = {
    devices,
    clock: { now: () => NOW },
    metrics: { ...UNCOUNTED, observedHandshake: (outcome: ObservedHandshakeOutcome) => void counted.push(outcome) },
  };
  const observed = (deviceId: string, at: Date, accountId = 'acc_kari') => ({
    tenantId: tenantA,
    accountId,
    deviceId,
    at,
    clientIp: '198.51.100.4',
    userAgent: 'messaging-edge/1',
  });
  return { deps, devices, counted, observed };
}

const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);

describe('a handshake the messaging backend observed', () => {
  it('is recorded with where the device connected from, published, and counted', async () => {
    const { deps, devices, counted, observed } = await setup();
    expect(await recordObservedHandshake(deps, observed('dev_1', minutesAgo(1)))).toBe('RECORDED');
    expect(await devices.findById(tenantA, 'dev_1')).toMatchObject({
      lastHandshakeAt: minutesAgo(1),
      lastHandshakeIp: '198.51.100.4',
      lastHandshakeUserAgent: 'messaging-edge/1',
    });
    expect(devices.published).toEqual([
      expect.objectContaining({
        type: 'device.device.handshake_completed',
        subject: 'dev_1',
        actortype: 'system',
        clientip: '198.51.100.4',
        data: expect.objectContaining({ handshakeAt: minutesAgo(1).toISOString() }),
      }),
    ]);
    expect(counted).toEqual(['RECORDED']);
  });

  it('never moves lastHandshakeAt back: a redelivered or overtaken handshake changes and publishes nothing', async () => {
    const { deps, devices, counted, observed } = await setup();
    await recordObservedHandshake(deps, observed('dev_1', minutesAgo(1)));
    expect(await recordObservedHandshake(deps, observed('dev_1', minutesAgo(1)))).toBe('STALE');
    expect(await recordObservedHandshake(deps, observed('dev_1', minutesAgo(5)))).toBe('STALE');
    expect((await devices.findById(tenantA, 'dev_1'))?.lastHandshakeAt).toEqual(minutesAgo(1));
    expect(devices.published).toHaveLength(1);
    expect(counted).toEqual(['RECORDED', 'STALE', 'STALE']);
  });

  it('is ignored, and counted, for an unknown device, a revoked one and one without a key', async () => {
    const { deps, devices, counted, observed } = await setup();
    expect(await recordObservedHandshake(deps, observed('dev_unknown', minutesAgo(1)))).toBe('UNKNOWN_DEVICE');
    expect(await recordObservedHandshake(deps, observed('dev_revoked', minutesAgo(1)))).toBe('DEVICE_REVOKED');
    expect(await recordObservedHandshake(deps, observed('dev_keyless', minutesAgo(1)))).toBe('DEVICE_HAS_NO_KEY');
    expect((await devices.findById(tenantA, 'dev_revoked'))?.lastHandshakeAt).toBeNull();
    expect(devices.published).toEqual([]);
    expect(counted).toEqual(['UNKNOWN_DEVICE', 'DEVICE_REVOKED', 'DEVICE_HAS_NO_KEY']);
  });

  it.each([
    ['a device of another account', 'dev_1', 'acc_ola', 1],
    ['a time ahead of the clock beyond the allowed skew', 'dev_1', 'acc_kari', -(OBSERVED_HANDSHAKE_CLOCK_SKEW_MS / 60_000 + 1)],
  ])('is a permanent failure (parked) for %s', async (_what, deviceId, accountId, minutes) => {
    const { deps, devices, counted, observed } = await setup();
    await expect(recordObservedHandshake(deps, observed(deviceId, minutesAgo(minutes), accountId))).rejects.toBeInstanceOf(
      PermanentEventError,
    );
    expect((await devices.findById(tenantA, 'dev_1'))?.lastHandshakeAt).toBeNull();
    expect(devices.published).toEqual([]);
    expect(counted).toEqual([]);
  });
});
