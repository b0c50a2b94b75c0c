import { DeviceRevoked, type DataOf, type EventEnvelope } from '@messngr/contracts';
import { asTenantId, type TenantId } from '@messngr/kit/core';
import { createEvent } from '@messngr/kit/events';
import type { Decision } from '@messngr/kit/mongo';
import type { SessionDependencies } from '../dependencies';
import type { SessionDocument } from '../persistence/session.model';
import { deviceEventsHandler } from './device-events-handler';

const NOW = new Date('2026-11-23T10:00:00.000Z');
const tenantA = asTenantId('ten_a');

function session(id: string, deviceId: string | null, status: 'ACTIVE' | 'REVOKED' = 'ACTIVE'): SessionDocument {
  return {
    _id: id,
    tenantId: tenantA,
    accountId: 'acc_kari',
    deviceId,
    status,
    identity: { id: 'idn_1', kind: 'EMAIL', displayValue: 'k***@example.com' },
    providerId: null,
    authenticatedAt: NOW,
    refresh: { absoluteExpiresAt: new Date(NOW.getTime() + 86_400_000) },
    version: 1,
    pendingEvents: [],
  } as unknown as SessionDocument;
}

/** The session store as endSession uses it: read the account's sessions, read-decide-write one, wait for its event. */
function setup() {
  const sessions = new Map<string, SessionDocument>(
    [session('ses_phone', 'dev_phone'), session('ses_web', null), session('ses_tablet', 'dev_tablet')].map((s) => [s._id, s]),
  );
  const published: EventEnvelope[] = [];
  const store = {
    ofAccount: async (tenantId: TenantId, accountId: string, includeEnded: boolean) =>
      [...sessions.values()].filter(
        (s) => s.tenantId === tenantId && s.accountId === accountId && (includeEnded || s.status === 'ACTIVE'),
      ),
    change: async (tenantId: TenantId, id: string, decide: (current: SessionDocument) => Decision<SessionDocument>) => {
      const current = sessions.get(id);
      if (!current || current.tenantId !== tenantId) return undefined;
      const decision = decide(current);
      if (!decision) return current;
      const next = { ...current, ...decision.changes, version: current.version + 1 } as SessionDocument;
      sessions.set(id, next);
      published.push(...decision.events);
      return next;
    },
    whenPublished: async () => true,
  };
  const deps = { sessions: store, accessTokenTtlSeconds: 600, clock: { now: () => NOW } } as unknown as SessionDependencies;
  return { handle: deviceEventsHandler(deps)['device.device.revoked'], sessions, published };
}

function deviceRevoked(revokedBy: DataOf<'device.device.revoked'>['revokedBy'], deviceId = 'dev_phone') {
  const event = createEvent(DeviceRevoked, {
    subject: deviceId,
    tenantId: tenantA,
    accountId: 'acc_kari',
    actor: { id: 'acc_agent', type: 'operator', reason: 'reported stolen' },
    time: NOW,
    data: {
      device: { id: deviceId, accountId: 'acc_kari', name: 'Pixel 8', platform: 'ANDROID', registeredAt: NOW.toISOString() },
      reason: 'reported stolen',
      revokedBy,
    },
  });
  return event as typeof event & { type: 'device.device.revoked' };
}

describe('identity, when a device is revoked', () => {
  it('ends the session bound to it with DEVICE_REVOKED, by whoever revoked the device; no other session', async () => {
    const { handle, sessions, published } = setup();
    await handle(deviceRevoked({ kind: 'SUPPORT', accountId: 'acc_agent' }));
    expect(sessions.get('ses_phone')).toMatchObject({ status: 'REVOKED', endReason: 'DEVICE_REVOKED', endedAt: NOW });
    expect(sessions.get('ses_web')).toMatchObject({ status: 'ACTIVE' });
    expect(sessions.get('ses_tablet')).toMatchObject({ status: 'ACTIVE' });
    expect(published).toEqual([
      expect.objectContaining({
        type: 'identity.session.revoked',
        subject: 'ses_phone',
        actorid: 'acc_agent',
        actortype: 'operator',
        actorreason: 'reported stolen',
        data: expect.objectContaining({ reason: 'DEVICE_REVOKED' }),
      }),
    ]);
  });

  it('changes nothing when the event comes again', async () => {
    const { handle, published } = setup();
    const event = deviceRevoked({ kind: 'OWNER', accountId: 'acc_kari' });
    await handle(event);
    await handle(event);
    expect(published).toHaveLength(1);
  });

  it('ends nothing for a device revoked because its session ended: no loop', async () => {
    const { handle, sessions, published } = setup();
    await handle(deviceRevoked({ kind: 'SESSION_REVOKED', sessionId: 'ses_phone', sessionEndReason: 'SIGNED_OUT' }));
    expect(sessions.get('ses_phone')).toMatchObject({ status: 'ACTIVE' });
    expect(published).toEqual([]);
  });

  it('ends nothing for a device no session is bound to', async () => {
    const { handle, published } = setup();
    await handle(deviceRevoked({ kind: 'OWNER', accountId: 'acc_kari' }, 'dev_registered_by_api'));
    expect(published).toEqual([]);
  });
});
