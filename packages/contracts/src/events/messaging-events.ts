import { z } from 'zod';
import { defineEvent } from '../event-contract';

export const DeviceHandshakeObserved = defineEvent({
  type: 'messaging.device.handshake_observed',
  producer: 'messaging',
  version: 1,
  key: 'account',
  summary:
    'Published by a messaging backend that terminates device connections, in place of the device calling completeDeviceHandshake: the device proved, at `data.handshakeAt`, that it holds the key the device subgraph has for it (the backend checked a signature over a challenge of its own with that key). The envelope names the tenant (`tenantid`) and the account (`accountid`, also the key), and where the device connected from (`clientip`, `useragent`). The device subgraph records it as the device’s `lastHandshakeAt`, never moving it back (an older or repeated handshake changes nothing), and publishes device.device.handshake_completed. It ignores, and counts (`device_observed_handshakes_total`), a handshake of a device it does not know, of a revoked one, or of one without a key; it parks on its dead-letter topic one naming a device that is not the account’s, or a time more than a minute ahead.',
  data: z.object({
    deviceId: z.string().min(1).max(100).describe('The device that connected: an id the device subgraph gave it.'),
    handshakeAt: z.iso.datetime({ offset: true }).describe('When the backend verified the device’s signature.'),
  }),
  consumers: ['device'],
});
