import { z } from 'zod';
import { defineEvent } from '../event-contract';
import { deviceSchema } from './shared-schemas';

export const DeviceRegistered = defineEvent({
  type: 'device.device.registered',
  producer: 'device',
  version: 1,
  key: 'account',
  summary: 'A device was registered for an account. Keyed by the account, so one account’s device events stay in order. Carries no key material.',
  data: z.object({ device: deviceSchema }),
  consumers: ['audit'],
});
