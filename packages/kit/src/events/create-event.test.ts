import { AccountCreated, DeviceRegistered, parseEnvelope, parseEventData } from '@messngr/contracts';
import { asTenantId } from '../core/tenant-id';
import { runWithRequestContext } from '../logging/request-context';
import { createEvent } from './create-event';

describe('creating an event through its contract', () => {
  const account = { id: 'acc_1', tenantId: 'ten_1', displayName: 'Kari', handle: 'kari' };
  const base = { subject: 'acc_1', tenantId: asTenantId('ten_1'), time: new Date('2026-11-23T10:00:00Z') };

  it('uses CloudEvents attribute names, keys by aggregate and carries the correlation id', () => {
    const event = runWithRequestContext({ correlationId: 'corr-1' }, () =>
      createEvent(AccountCreated, { ...base, accountId: 'acc_1', actor: { id: 'acc_9', type: 'account' }, data: { account } }),
    );
    expect(event).toMatchObject({
      specversion: '1.0',
      source: '/messngr/identity',
      type: 'identity.account.created',
      subject: 'acc_1',
      time: '2026-11-23T10:00:00.000Z',
      partitionkey: 'acc_1',
      tenantid: 'ten_1',
      accountid: 'acc_1',
      actorid: 'acc_9',
      actortype: 'account',
      correlationid: 'corr-1',
      dataschema: 'https://schemas.messngr.dev/events/identity.account.created/v1.json',
    });
    expect(event.id).toMatch(/^evt_/);
    const received = parseEventData({ ...parseEnvelope(JSON.parse(JSON.stringify(event))), type: AccountCreated.type });
    expect(received.data).toEqual({ account });
  });

  it('refuses data its contract would refuse, so consumers never see it', () => {
    expect(() => createEvent(AccountCreated, { ...base, data: { account: { ...account, handle: '' } } })).toThrow();
  });

  it('keys by the account when the contract says so, and needs the account then', () => {
    const device = { id: 'dev_1', accountId: 'acc_1', name: 'Pixel 8', platform: 'ANDROID' as const, registeredAt: base.time.toISOString() };
    expect(createEvent(DeviceRegistered, { ...base, subject: 'dev_1', accountId: 'acc_1', data: { device } }).partitionkey).toBe('acc_1');
    expect(() => createEvent(DeviceRegistered, { ...base, subject: 'dev_1', data: { device } })).toThrow(/accountId/);
  });
});
