import {
  AccountCreated,
  EventContractViolation,
  SessionStarted,
  eventRoutes,
  parseEnvelope,
  TenantCreated,
  type EventEnvelope,
} from '@messngr/contracts';
import { asTenantId } from '@messngr/kit/core';
import { createEvent, PermanentEventError } from '@messngr/kit/events';
import type { AccountReplicaDocument } from '../persistence/account-replica.model';
import type { NewAggregate } from '@messngr/kit/mongo';
import type { AccountReplicaRepository } from '../persistence/account-replica.repository';
import type { DeviceDocument } from '../persistence/device.model';
import type { DeviceRepository } from '../persistence/device.repository';
import { identityEventsHandler } from './identity-events-handler';

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
  const registered: { device: NewAggregate<DeviceDocument>; events: EventEnvelope[] }[] = [];
  const devices: Pick<DeviceRepository, 'insert'> = {
    insert: async (device, events) => {
      if (registered.some((entry) => entry.device._id === device._id)) throw Object.assign(new Error('E11000 duplicate key'), { code: 11000 });
      registered.push({ device, events });
      return { ...device, version: 1, pendingEvents: events, outboxPending: events.length > 0, outboxSince: null };
    },
  };
  const handlers = identityEventsHandler({ accounts, devices });
  const handle = handlers['identity.account.created'];
  const routes = eventRoutes('device', handlers);
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
    expect(Object.keys(handlers).sort()).toEqual(['identity.account.created', 'identity.session.started']);
    const tenantCreated = createEvent(TenantCreated, {
      subject: 'ten_a',
      tenantId: asTenantId('ten_a'),
      time: TIME,
      data: { tenant: { id: 'ten_a', name: 'Acme', slug: 'acme', status: 'ACTIVE' } },
    });
    expect(route(published(tenantCreated))).toBeUndefined();
    const notForDevices: EventEnvelope = { ...published(accountCreated()), type: 'identity.session.revoked', data: {} };
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

  describe('a device named at sign-in', () => {
    const sessionStarted = (device: { id: string; name: string; platform: 'ANDROID' } | null) =>
      published(
        createEvent(SessionStarted, {
          subject: 'ses_1',
          tenantId: asTenantId('ten_a'),
          accountId: 'acc_1',
          time: TIME,
          data: {
            session: {
              id: 'ses_1',
              accountId: 'acc_1',
              tenantId: 'ten_a',
              identityKind: 'EMAIL',
              identityDisplay: 'k***@example.com',
              providerId: null,
              authenticatedAt: TIME.toISOString(),
              expiresAt: new Date(TIME.getTime() + 86_400_000).toISOString(),
            },
            device,
          },
        }),
      );
    beforeEach(() => registered.splice(0));

    it('is registered bound to the session, once however often the event comes', async () => {
      const event = sessionStarted({ id: 'dev_1', name: 'Pixel 8', platform: 'ANDROID' });
      await route(event)!();
      await route(event)!();
      expect(registered).toHaveLength(1);
      expect(registered[0]!.device).toMatchObject({ _id: 'dev_1', tenantId: 'ten_a', accountId: 'acc_1', sessionId: 'ses_1', name: 'Pixel 8' });
      expect(registered[0]!.events.map((e) => e.type)).toEqual(['device.device.registered']);
    });

    it('registers nothing when the client named no device', async () => {
      await route(sessionStarted(null))!();
      expect(registered).toEqual([]);
    });
  });
});
