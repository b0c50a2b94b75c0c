import { AccountCreated, type ActorType } from '@messngr/contracts';
import { createEvent } from '@messngr/kit/events';
import type { AccountDocument } from '../persistence/account.model';

export function accountCreated(
  account: Pick<AccountDocument, '_id' | 'tenantId' | 'displayName' | 'handle'>,
  actor: { id?: string; type: ActorType },
  time: Date,
) {
  return createEvent(AccountCreated, {
    subject: account._id,
    tenantId: account.tenantId,
    accountId: account._id,
    actor,
    time,
    data: { account: { id: account._id, tenantId: account.tenantId, displayName: account.displayName, handle: account.handle } },
  });
}
