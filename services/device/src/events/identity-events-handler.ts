import type { EventEnvelope } from '@messngr/kit';
import type { AccountReplicaRepository } from '../persistence/account-replica.repository';

interface AccountEventData {
  account?: { id?: unknown; tenantId?: unknown };
}

/** Learns which tenant each account belongs to from identity.account.created. */
export function identityEventsHandler(accounts: Pick<AccountReplicaRepository, 'apply'>) {
  return async (event: EventEnvelope<unknown>): Promise<void> => {
    if (event.type !== 'identity.account.created') return;
    const account = (event.data as AccountEventData | null)?.account;
    if (typeof account?.id !== 'string' || account.tenantId !== event.tenantid) {
      throw new Error(`event ${event.id} has no readable account`);
    }
    await accounts.apply({ _id: account.id, tenantId: account.tenantId, lastEventId: event.id });
  };
}
