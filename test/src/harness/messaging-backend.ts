import { Kafka, logLevel, type Producer } from 'kafkajs';
import { DeviceHandshakeObserved, producerTopic } from '@messngr/contracts';
import { asTenantId } from '@messngr/kit/core';
import { createEvent } from '@messngr/kit/events';

export interface ObservedHandshake {
  tenantId: string;
  accountId: string;
  deviceId: string;
  at: Date;
  clientIp?: string;
  userAgent?: string;
}

/**
 * A messaging backend that terminates device connections, as far as this repository sees it: it
 * publishes `messaging.device.handshake_observed` on its topic. Started and stopped with the test.
 */
export function useMessagingBackend() {
  let producer: Producer | undefined;
  beforeAll(async () => {
    const kafka = new Kafka({
      clientId: 'e2e-messaging',
      brokers: process.env['KAFKA_BROKERS']!.split(','),
      logLevel: logLevel.NOTHING,
    });
    producer = kafka.producer();
    await producer.connect();
  });
  afterAll(async () => {
    await producer?.disconnect();
  });
  return {
    /** Publishes the handshake; resolves with the event's id once the broker has it. */
    async publishHandshake(handshake: ObservedHandshake): Promise<string> {
      const event = createEvent(DeviceHandshakeObserved, {
        subject: handshake.deviceId,
        tenantId: asTenantId(handshake.tenantId),
        accountId: handshake.accountId,
        actor: { type: 'system' },
        ...(handshake.clientIp ? { clientIp: handshake.clientIp } : {}),
        ...(handshake.userAgent ? { userAgent: handshake.userAgent } : {}),
        time: handshake.at,
        data: { deviceId: handshake.deviceId, handshakeAt: handshake.at.toISOString() },
      });
      await producer!.send({
        topic: producerTopic('messaging'),
        acks: -1,
        messages: [{ key: handshake.accountId, value: JSON.stringify(event) }],
      });
      return event.id;
    },
  };
}
