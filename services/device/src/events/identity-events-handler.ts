import type { HandlersOf } from '@messngr/contracts';
import { asTenantId } from '@messngr/kit/core';
import { PermanentEventError, sequenceOf } from '@messngr/kit/events';
import type { AccountReplicaRepository } from '../persistence/account-replica.repository';

/** Learns which tenant each account belongs to from identity.account.created. */
export function identityEventsHandler(accounts: Pick<AccountReplicaRepository, 'applyIfNewer'>): HandlersOf<'device'> {
  return {
    'identity.account.created': async (event) => {
      const { account } = event.data;
      if (account.tenantId !== event.tenantid) {
        throw new PermanentEventError(`event ${event.id} names another tenant than its tenantid`);
      }
      await accounts.applyIfNewer({ _id: account.id, tenantId: asTenantId(account.tenantId), sequence: sequenceOf(event) });
    },
  };
}
