import { createEvent, isEventEnvelope } from './envelope';
import { runWithRequestContext } from './request-context';

describe('event envelope', () => {
  const base = {
    service: 'identity',
    subject: 'acc_1',
    tenantId: 'ten_1',
    time: new Date('2026-11-23T10:00:00Z'),
    data: { a: 1 },
  };

  it('uses CloudEvents attribute names, keys by aggregate and carries the correlation id', () => {
    const event = runWithRequestContext({ correlationId: 'corr-1' }, () =>
      createEvent({ ...base, type: 'identity.account.created', accountId: 'acc_1', actor: { id: 'acc_9', type: 'account' } }),
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
    expect(isEventEnvelope(JSON.parse(JSON.stringify(event)))).toBe(true);
  });

  it('refuses a type that does not read <service>.<aggregate>.<verb>', () => {
    expect(() => createEvent({ ...base, type: 'account.created' })).toThrow();
    expect(() => createEvent({ ...base, type: 'tenant.tenant.created' })).toThrow();
  });
});
