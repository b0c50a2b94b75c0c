import {
  DeviceRegistered,
  EventContractViolation,
  eventRoutes,
  parseEnvelope,
  parseEventData,
  TenantUpdated,
  type EventEnvelope,
  type EventType,
} from '@messngr/contracts';
import { asTenantId } from '@messngr/kit/core';
import { createEvent, PermanentEventError } from '@messngr/kit/events';
import type { AuditEntryDocument } from '../persistence/audit-entry.model';
import { auditEntryFromEvent } from './audit-entry-from-event';
import { auditEntryHandler } from './audit-entry-handler';

const RECORDED = new Date('2026-11-23T10:00:05.000Z');
const TIME = new Date('2026-11-23T10:00:00.000Z');
const device = {
  id: 'dev_1',
  accountId: 'acc_kari',
  name: 'Pixel 8',
  platform: 'ANDROID' as const,
  registeredAt: TIME.toISOString(),
};

/** As the consumer hands an event on: read from the wire, the envelope and its data parsed by their contracts. */
function received<Type extends EventType>(event: EventEnvelope & { type: Type }) {
  const envelope = parseEnvelope(JSON.parse(JSON.stringify(event)));
  return parseEventData({ ...envelope, type: event.type });
}

function deviceRegistered() {
  return createEvent(DeviceRegistered, {
    subject: 'dev_1',
    tenantId: asTenantId('ten_a'),
    accountId: 'acc_kari',
    actor: { id: 'acc_admin', type: 'account' },
    time: TIME,
    data: { device },
  });
}

/** The audit consumer's routes over its handler, recording into an array. */
function auditRoutes() {
  const recorded: AuditEntryDocument[] = [];
  const entries = { record: async (entry: AuditEntryDocument) => recorded.push(entry) > 0 };
  const replica = { applyIfNewer: async () => true };
  return {
    routes: eventRoutes(
      'audit',
      auditEntryHandler({ entries, accounts: replica, retention: replica, clock: { now: () => RECORDED } }),
    ),
    recorded,
  };
}

describe('an event becomes an audit entry', () => {
  it('keeps who, what, about whom and when, keyed by the event id', () => {
    const event = received(deviceRegistered());
    expect(auditEntryFromEvent(event, RECORDED)).toEqual({
      _id: event.id,
      tenantId: 'ten_a',
      accountId: 'acc_kari',
      type: 'device.device.registered',
      source: '/messngr/device',
      subject: 'dev_1',
      actorId: 'acc_admin',
      actorType: 'account',
      actorReason: null,
      clientIp: null,
      userAgent: null,
      correlationId: null,
      time: TIME,
      recordedAt: RECORDED,
      data: { device },
    });
  });

  it('keeps the request it came from and the reason given, as the envelope carries them', () => {
    const event = {
      ...received(deviceRegistered()),
      actortype: 'operator' as const,
      actorreason: 'customer called',
      clientip: '203.0.113.9',
      useragent: 'Messngr/1.0 (Android)',
      correlationid: 'cor_123',
    };
    expect(auditEntryFromEvent(event, RECORDED)).toMatchObject({
      actorType: 'operator',
      actorReason: 'customer called',
      clientIp: '203.0.113.9',
      userAgent: 'Messngr/1.0 (Android)',
      correlationId: 'cor_123',
    });
  });

  it('leaves out attributes that are missing', () => {
    const event = createEvent(TenantUpdated, {
      subject: 'ten_a',
      tenantId: asTenantId('ten_a'),
      actor: { type: 'system' },
      time: TIME,
      data: { tenant: { id: 'ten_a', name: 'Acme', slug: 'acme', status: 'ACTIVE' }, changes: {} },
    });
    expect(auditEntryFromEvent(received(event), RECORDED)).toMatchObject({
      tenantId: 'ten_a',
      accountId: null,
      actorId: null,
      actorType: 'system',
      source: '/messngr/tenant',
    });
    const { actortype: _actorType, ...withoutActor } = received(event);
    expect(auditEntryFromEvent(withoutActor, RECORDED).actorType).toBeNull();
  });

  it('never receives malformed attributes or data: the envelope and its contract refuse them first', () => {
    const wire = JSON.parse(JSON.stringify(deviceRegistered())) as Record<string, unknown>;
    expect(() => parseEnvelope({ ...wire, actortype: 'robot' })).toThrow(EventContractViolation);
    expect(() => parseEnvelope({ ...wire, accountid: 42 })).toThrow(EventContractViolation);
    expect(() => parseEnvelope({ ...wire, source: undefined })).toThrow(EventContractViolation);
    expect(() => parseEnvelope({ ...wire, time: 'yesterday' })).toThrow(EventContractViolation);

    const { routes, recorded } = auditRoutes();
    const notAnObject = parseEnvelope({ ...wire, data: ['not', 'an', 'object'] });
    expect(() => routes.route(notAnObject)).toThrow(EventContractViolation);
    expect(recorded).toEqual([]);
  });

  it('records what the audit routes hand it, as it reads it', async () => {
    const { routes, recorded } = auditRoutes();
    const event = deviceRegistered();
    const work = routes.route(parseEnvelope(JSON.parse(JSON.stringify(event))));
    expect(work).toBeDefined();
    await work!();
    expect(recorded).toEqual([auditEntryFromEvent(received(event), RECORDED)]);
  });

  it('refuses, permanently, an event whose time is not a real instant', () => {
    const broken = { ...received(deviceRegistered()), time: 'yesterday' };
    expect(() => auditEntryFromEvent(broken, RECORDED)).toThrow(PermanentEventError);
    expect(() => auditEntryFromEvent(broken, RECORDED)).toThrow(/unreadable time/);
  });
});
