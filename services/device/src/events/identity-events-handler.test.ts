import {
  AccountCreated,
  DeviceRevoked,
  EventContractViolation,
  SessionRevoked,
  SessionStarted,
  eventRoutes,
  parseEnvelope,
  parseEventData,
  TenantCreated,
  type EventEnvelope,
} from '@messngr/contracts';
import { asTenantId } from '@messngr/kit/core';
import { createEvent, PermanentEventError } from '@messngr/kit/events';
import type { AccountReplicaDocument } from '../persistence/account-replica.model';
import type { AccountReplicaRepository } from '../persistence/account-replica.repository';
import { InMemoryDeviceSlots } from '../persistence/in-memory-device-slots';
import { InMemoryDeviceStore } from '../persistence/in-memory-device-store';
import { identityEventsHandler } from './identity-events-handler';
import { UNCOUNTED } from '../device-metrics';

const TIME = new Date('2026-11-23T10:00:00.000Z');
const kari = { id: 'acc_1', tenantId: 'ten_a', displayName: 'Kari', handle: 'kari' };

function accountCreated(account: typeof kari = kari, tenantId = 'ten_a') {
  return createEvent(AccountCreated, {
    subject: account.id,
    tenantId: asTenantId(tenantId),
    accountId: account.id,
    time: TIME,
    data: { account },
  });
}

/** As the outbox publishes it: stamped with its place in the aggregate's history. */
function published<Event extends EventEnvelope>(event: Event, sequence = '2000'): Event {
  return { ...event, sequence };
}

describe('the account replica fed by identity events', () => {
  const applied: AccountReplicaDocument[] = [];
  const accounts: Pick<AccountReplicaRepository, 'applyIfNewer'> = {
    applyIfNewer: async (account: AccountReplicaDocument) => {
      applied.push(account);
      return true;
    },
  };
  let devices = new InMemoryDeviceStore();
  let slots = new InMemoryDeviceSlots();
  const refusedAtSignIn: string[] = [];
  const handlers = identityEventsHandler({
    accounts,
    devices: {
      insert: (...args) => devices.insert(...args),
      boundToSession: (...args) => devices.boundToSession(...args),
      change: (...args) => devices.change(...args),
      findById: (...args) => devices.findById(...args),
      byIds: (...args) => devices.byIds(...args),
    },
    slots: {
      ofAccount: (...args) => slots.ofAccount(...args),
      claim: (...args) => slots.claim(...args),
      release: (...args) => slots.release(...args),
    },
    maxActiveDevices: 2,
    clock: { now: () => TIME },
    logger: { warn: () => undefined },
    metrics: { ...UNCOUNTED, registration: (via, outcome) => void refusedAtSignIn.push(`${via}:${outcome}`) },
  });
  const handle = handlers['identity.account.created'];
  // Handshakes from the messaging backend are not this handler's: they are tested on their own.
  const routes = eventRoutes('device', { ...handlers, 'messaging.device.handshake_observed': async () => undefined });
  /** What the consumer does with a message: parse it from the wire, then route it (parsing its data by its contract). */
  const route = (event: EventEnvelope) => routes.route(parseEnvelope(JSON.parse(JSON.stringify(event))));
  beforeEach(() => applied.splice(0));

  it("records the account and its tenant from identity.account.created, at the event's sequence", async () => {
    await handle(published(accountCreated()));
    expect(applied).toEqual([{ _id: 'acc_1', tenantId: 'ten_a', sequence: 2000 }]);
  });

  it('is reached through the routes of the device consumer', async () => {
    const work = route(published(accountCreated(), '3001'));
    expect(work).toBeDefined();
    await work!();
    expect(applied).toEqual([{ _id: 'acc_1', tenantId: 'ten_a', sequence: 3001 }]);
  });

  it('ignores event types it does not use', async () => {
    expect(Object.keys(handlers).sort()).toEqual([
      'identity.account.created',
      'identity.session.revoked',
      'identity.session.started',
    ]);
    const tenantCreated = createEvent(TenantCreated, {
      subject: 'ten_a',
      tenantId: asTenantId('ten_a'),
      time: TIME,
      data: { tenant: { id: 'ten_a', name: 'Acme', slug: 'acme', status: 'ACTIVE' } },
    });
    expect(route(published(tenantCreated))).toBeUndefined();
    const notForDevices: EventEnvelope = { ...published(accountCreated()), type: 'identity.account.updated', data: {} };
    expect(route(notForDevices)).toBeUndefined();
    const uncatalogued: EventEnvelope = { ...published(accountCreated()), type: 'identity.session.teleported', data: {} };
    expect(route(uncatalogued)).toBeUndefined();
    expect(applied).toEqual([]);
  });

  it('never sees an unreadable account: the router refuses it as a contract violation, which the consumer parks', () => {
    const valid = published(accountCreated());
    for (const data of [{ account: { id: 'acc_1' } }, null, { account: { ...kari, tenantId: 42 } }]) {
      const unreadable: EventEnvelope = { ...valid, data };
      expect(() => route(unreadable)).toThrow(EventContractViolation);
    }
    expect(applied).toEqual([]);
  });

  it('refuses, permanently, an account whose tenant disagrees with the envelope', async () => {
    const elsewhere = published(accountCreated({ ...kari, tenantId: 'ten_b' }, 'ten_a'));
    await expect(handle(elsewhere)).rejects.toThrow(PermanentEventError);
    const work = route(elsewhere);
    expect(work).toBeDefined();
    await expect(work!()).rejects.toThrow(PermanentEventError);
    expect(applied).toEqual([]);
  });

  it('refuses, permanently, an event without a sequence: it cannot be placed against the copy', async () => {
    await expect(handle(accountCreated())).rejects.toThrow(PermanentEventError);
    expect(applied).toEqual([]);
  });

  const session = (id = 'ses_1') => ({
    id,
    accountId: 'acc_1',
    tenantId: 'ten_a',
    identityKind: 'EMAIL' as const,
    identityDisplay: 'k***@example.com',
    providerId: null,
    authenticatedAt: TIME.toISOString(),
    expiresAt: new Date(TIME.getTime() + 86_400_000).toISOString(),
  });
  const sessionStarted = (device: { id: string; name: string; platform: 'ANDROID' } | null, sessionId = 'ses_1') =>
    published(
      createEvent(SessionStarted, {
        subject: sessionId,
        tenantId: asTenantId('ten_a'),
        accountId: 'acc_1',
        time: TIME,
        data: { session: session(sessionId), device },
      }),
    );
  beforeEach(() => {
    devices = new InMemoryDeviceStore();
    slots = new InMemoryDeviceSlots();
    refusedAtSignIn.splice(0);
  });

  describe('a device named at sign-in', () => {
    it('is registered bound to the session, once however often the event comes', async () => {
      const event = sessionStarted({ id: 'dev_1', name: 'Pixel 8', platform: 'ANDROID' });
      await route(event)!();
      await route(event)!();
      expect([...devices.documents.values()]).toHaveLength(1);
      expect(devices.documents.get('dev_1')).toMatchObject({
        _id: 'dev_1',
        tenantId: 'ten_a',
        accountId: 'acc_1',
        sessionId: 'ses_1',
        name: 'Pixel 8',
        revokedAt: null,
        revokedBy: null,
      });
      expect(devices.published.map((e) => e.type)).toEqual(['device.device.registered']);
    });

    it('takes one of the account’s slots; beyond the cap the session lives on without a device, counted', async () => {
      await route(sessionStarted({ id: 'dev_1', name: 'Pixel 8', platform: 'ANDROID' }, 'ses_1'))!();
      await route(sessionStarted({ id: 'dev_2', name: 'Laptop', platform: 'ANDROID' }, 'ses_2'))!();
      await route(sessionStarted({ id: 'dev_3', name: 'Tablet', platform: 'ANDROID' }, 'ses_3'))!();
      expect([...devices.documents.keys()].sort()).toEqual(['dev_1', 'dev_2']);
      expect(new Set([...devices.documents.values()].map((device) => device.slot))).toEqual(new Set([0, 1]));
      expect(refusedAtSignIn).toEqual(['SIGN_IN:REGISTERED', 'SIGN_IN:REGISTERED', 'SIGN_IN:DEVICE_LIMIT_REACHED']);

      // The first session's end revokes its device and frees its slot for the next sign-in.
      const revoked = createEvent(SessionRevoked, {
        subject: 'ses_1',
        tenantId: asTenantId('ten_a'),
        accountId: 'acc_1',
        time: TIME,
        data: { session: session('ses_1'), reason: 'SIGNED_OUT', accessTokensExpireBy: TIME.toISOString() },
      });
      await route(published(revoked))!();
      await route(sessionStarted({ id: 'dev_4', name: 'New phone', platform: 'ANDROID' }, 'ses_4'))!();
      expect(devices.documents.get('dev_4')).toMatchObject({ sessionId: 'ses_4', revokedAt: null });
      expect(slots.claims.size).toBe(2);
    });

    it('registers nothing when the client named no device', async () => {
      await route(sessionStarted(null))!();
      expect(devices.documents.size).toBe(0);
    });
  });

  describe('a session that ends early', () => {
    const REVOKED_AT = new Date('2026-11-23T11:30:00.000Z');
    const sessionRevoked = (sessionId = 'ses_1', tenantId = 'ten_a') =>
      published(
        createEvent(SessionRevoked, {
          subject: sessionId,
          tenantId: asTenantId(tenantId),
          accountId: 'acc_1',
          actor: { id: 'acc_1', type: 'account' },
          time: REVOKED_AT,
          data: { session: session(sessionId), reason: 'REVOKED', accessTokensExpireBy: REVOKED_AT.toISOString() },
        }),
        '4000',
      );
    const revocations = () => devices.published.filter((event) => event.type === 'device.device.revoked');

    beforeEach(async () => {
      await route(sessionStarted({ id: 'dev_1', name: 'Pixel 8', platform: 'ANDROID' }))!();
      await route(sessionStarted({ id: 'dev_2', name: 'Laptop', platform: 'ANDROID' }, 'ses_2'))!();
    });

    it("revokes the device bound to it, at the event's time, by the session's end, and says so by its contract", async () => {
      await route(sessionRevoked())!();
      expect(devices.documents.get('dev_1')).toMatchObject({
        revokedAt: REVOKED_AT,
        revokedBy: { kind: 'SESSION_REVOKED', sessionId: 'ses_1', sessionEndReason: 'REVOKED' },
        revocationReason: null,
        version: 2,
        outboxPending: true,
      });
      const [event] = revocations();
      expect(event).toMatchObject({
        type: 'device.device.revoked',
        subject: 'dev_1',
        partitionkey: 'acc_1',
        tenantid: 'ten_a',
        accountid: 'acc_1',
        actorid: 'acc_1',
        actortype: 'account',
        time: REVOKED_AT.toISOString(),
        sequence: '2000',
      });
      const parsed = parseEventData({ ...parseEnvelope(JSON.parse(JSON.stringify(event))), type: DeviceRevoked.type });
      expect(parsed.data).toEqual({
        device: { id: 'dev_1', accountId: 'acc_1', name: 'Pixel 8', platform: 'ANDROID', registeredAt: TIME.toISOString() },
        reason: null,
        revokedBy: { kind: 'SESSION_REVOKED', sessionId: 'ses_1', sessionEndReason: 'REVOKED' },
      });
      // The device of the other session is untouched.
      expect(devices.documents.get('dev_2')).toMatchObject({ revokedAt: null, revokedBy: null, version: 1 });
    });

    it('changes nothing when the event comes again', async () => {
      const event = sessionRevoked();
      await route(event)!();
      const once = structuredClone(devices.documents.get('dev_1'));
      await route(event)!();
      expect(devices.documents.get('dev_1')).toEqual(once);
      expect(revocations()).toHaveLength(1);
    });

    it('leaves a device revoked already as it was', async () => {
      const byOwner = { kind: 'OWNER' as const, accountId: 'acc_1' };
      const earlier = new Date('2026-11-23T11:00:00.000Z');
      await devices.change(asTenantId('ten_a'), 'dev_1', () => ({
        changes: { revokedAt: earlier, revokedBy: byOwner, revocationReason: 'lost' },
        events: [],
      }));
      await route(sessionRevoked())!();
      expect(devices.documents.get('dev_1')).toMatchObject({
        revokedAt: earlier,
        revokedBy: byOwner,
        revocationReason: 'lost',
        version: 2,
      });
      expect(revocations()).toEqual([]);
    });

    it('revokes nothing for a session without a device', async () => {
      await route(sessionRevoked('ses_without_device'))!();
      expect(revocations()).toEqual([]);
    });

    it('refuses, permanently, a session whose tenant disagrees with the envelope', async () => {
      const elsewhere = { ...sessionRevoked(), tenantid: 'ten_b' };
      await expect(route(elsewhere)!()).rejects.toThrow(PermanentEventError);
      expect(revocations()).toEqual([]);
    });

    it('never sees an unreadable revocation: the router refuses it as a contract violation', () => {
      const valid = sessionRevoked();
      for (const data of [{ session: { id: 'ses_1' } }, { ...valid.data, reason: 'BORED' }, null]) {
        expect(() => route({ ...valid, data })).toThrow(EventContractViolation);
      }
    });
  });
});
