import { Kafka, logLevel, type Admin } from 'kafkajs';

/** Runs `fn` with a connected, quiet kafkajs admin client, and disconnects it afterwards. */
export async function withKafkaAdmin<T>(brokers: string, fn: (admin: Admin) => Promise<T>, retries = 5): Promise<T> {
  const kafka = new Kafka({
    clientId: 'messngr-infra',
    brokers: brokers.split(',').map((broker) => broker.trim()),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    retry: { retries },
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}
