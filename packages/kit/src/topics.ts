/**
 * The Kafka topics, created explicitly (auto-creation is off). Each producing service
 * owns one topic; each consuming service has its own dead-letter topic.
 * Documented for outside consumers in schema/events/asyncapi.yaml.
 */
export const Topic = {
  TENANT_EVENTS: 'messngr.tenant.events',
  IDENTITY_EVENTS: 'messngr.identity.events',
  DEVICE_EVENTS: 'messngr.device.events',
} as const;

export function deadLetterTopic(consumerService: string): string {
  return `messngr.${consumerService}.dead-letter`;
}

export const CONSUMING_SERVICES = ['identity', 'device', 'audit'] as const;

export const TOPICS: { name: string; partitions: number }[] = [
  { name: Topic.TENANT_EVENTS, partitions: 3 },
  { name: Topic.IDENTITY_EVENTS, partitions: 6 },
  { name: Topic.DEVICE_EVENTS, partitions: 6 },
  ...CONSUMING_SERVICES.map((service) => ({ name: deadLetterTopic(service), partitions: 1 })),
];
