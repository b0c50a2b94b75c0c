import { createEvent, type EventEnvelope } from '@messngr/kit';
import type { AccountDocument } from '../persistence/account.model';

export const IDENTITY_SERVICE = 'identity';

export interface AccountCreatedData {
  account: { id: string; tenantId: string; displayName: string; handle: string };
}

export function accountCreated(
  account: Pick<AccountDocument, '_id' | 'tenantId' | 'displayName' | 'handle'>,
  actor: { id?: string; type: 'account' | 'operator' | 'system' },
  time: Date,
): EventEnvelope<AccountCreatedData> {
  return createEvent({
    service: IDENTITY_SERVICE,
    type: 'identity.account.created',
    subject: account._id,
    tenantId: account.tenantId,
    accountId: account._id,
    actor,
    time,
    data: { account: { id: account._id, tenantId: account.tenantId, displayName: account.displayName, handle: account.handle } },
  });
}
