import { z } from 'zod';
import { defineEvent } from '../event-contract';
import { accountSchema } from './shared-schemas';

export const AccountCreated = defineEvent({
  type: 'identity.account.created',
  producer: 'identity',
  version: 1,
  key: 'subject',
  summary: 'An account was created.',
  data: z.object({ account: accountSchema }),
  consumers: ['device', 'audit'],
});
