import { createEvent, type EventEnvelope } from '@messngr/kit';
import { auditEntryFromEvent } from './audit-entry-from-event';

const RECORDED = new Date('2026-11-23T10:00:05.000Z');
const TIME = new Date('2026-11-23T10:00:00.000Z');

describe('an event becomes an audit entry', () => {
  it('keeps who, what, about whom and when, keyed by the event id', () => {
    const event = createEvent({
      service: 'device',
      type: 'device.device.registered',
      subject: 'dev_1',
      tenantId: 'ten_a',
      accountId: 'acc_kari',
      actor: { id: 'acc_admin', type: 'account' },
      time: TIME,
      data: { device: { id: 'dev_1', name: 'Pixel 8' } },
    });
    expect(auditEntryFromEvent(event, RECORDED)).toEqual({
      _id: event.id,
      tenantId: 'ten_a',
      accountId: 'acc_kari',
      type: 'device.device.registered',
      source: '/messngr/device',
      subject: 'dev_1',
      actorId: 'acc_admin',
      actorType: 'account',
      time: TIME,
      recordedAt: RECORDED,
      data: { device: { id: 'dev_1', name: 'Pixel 8' } },
    });
  });

  it('leaves out attributes that are missing or malformed', () => {
    const foreign = {
      specversion: '1.0',
      id: 'evt_x',
      type: 'tenant.tenant.updated',
      subject: 'ten_a',
      tenantid: 'ten_a',
      time: TIME.toISOString(),
      actortype: 'robot',
      accountid: 42,
      data: ['not', 'an', 'object'],
    } as unknown as EventEnvelope<unknown>;
    expect(auditEntryFromEvent(foreign, RECORDED)).toMatchObject({
      accountId: null,
      actorId: null,
      actorType: null,
      source: 'unknown',
      data: {},
    });
  });

  it('refuses an event whose time cannot be read', () => {
    const broken = { specversion: '1.0', id: 'evt_y', type: 'a.b.c', subject: 's', tenantid: 't', time: 'yesterday', data: {} };
    expect(() => auditEntryFromEvent(broken as unknown as EventEnvelope<unknown>, RECORDED)).toThrow(/unreadable time/);
  });
});
