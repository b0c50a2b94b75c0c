import { createEvent } from '@messngr/kit';
import type { AccountReplicaDocument } from '../persistence/account-replica.model';
import type { AccountReplicaRepository } from '../persistence/account-replica.repository';
import { identityEventsHandler } from './identity-events-handler';

function accountEvent(type: string, data: unknown) {
  return createEvent({
    service: 'identity',
    type,
    subject: 'acc_1',
    tenantId: 'ten_a',
    accountId: 'acc_1',
    time: new Date(),
    data,
  });
}

describe('the account replica fed by identity events', () => {
  const applied: AccountReplicaDocument[] = [];
  const handle = identityEventsHandler({ apply: async (account: AccountReplicaDocument) => void applied.push(account) } as Pick<
    AccountReplicaRepository,
    'apply'
  >);
  beforeEach(() => applied.splice(0));

  it('records the account and its tenant from identity.account.created', async () => {
    const event = accountEvent('identity.account.created', {
      account: { id: 'acc_1', tenantId: 'ten_a', displayName: 'Kari', handle: 'kari' },
    });
    await handle(event);
    expect(applied).toEqual([{ _id: 'acc_1', tenantId: 'ten_a', lastEventId: event.id }]);
  });

  it('ignores event types it does not use', async () => {
    await handle(accountEvent('identity.session.revoked', { session: { id: 'ses_1' } }));
    expect(applied).toEqual([]);
  });

  it('fails on an unreadable account or one whose tenant disagrees with the envelope so the consumer retries and parks it', async () => {
    await expect(handle(accountEvent('identity.account.created', { account: { id: 'acc_1' } }))).rejects.toThrow();
    await expect(handle(accountEvent('identity.account.created', null))).rejects.toThrow();
    await expect(
      handle(accountEvent('identity.account.created', { account: { id: 'acc_1', tenantId: 'ten_b' } })),
    ).rejects.toThrow();
    expect(applied).toEqual([]);
  });
});
