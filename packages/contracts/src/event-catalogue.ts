import type { z } from 'zod';
import { envelopeSchema, type EventEnvelope } from './envelope';
import type { EventContract } from './event-contract';
import { DeviceHandshakeCompleted, DeviceRegistered, DeviceRevoked } from './events/device-events';
import { DeviceHandshakeObserved } from './events/messaging-events';
import {
  OAuthClientRegistered,
  OAuthClientRemoved,
  OAuthClientSecretRotated,
  OAuthClientUpdated,
} from './events/oauth-client-events';
import {
  AccountCreated,
  AccountDisabled,
  AccountEnabled,
  AccountRecoveryStarted,
  AccountRolesChanged,
  AccountUpdated,
  IdentityLinked,
  IdentityRemovalRequested,
  IdentityRemoved,
  IdentityRevoked,
  IdentityVerified,
  LoginLockedOut,
  SessionRevoked,
  SessionStarted,
  SigningKeysRotated,
} from './events/identity-events';
import {
  IdentityProviderDisabled,
  IdentityProviderEnabled,
  IdentityProviderRegistered,
  IdentityProviderRemoved,
  IdentityProviderUpdated,
  TenantCreated,
  TenantDefaultProviderChanged,
  TenantPolicyUpdated,
  TenantReactivated,
  TenantSuspended,
  TenantUpdated,
} from './events/tenant-events';
import { producerTopic, type ConsumerService } from './topics';

/** Every event the system publishes. */
export const EVENT_CONTRACTS = [
  TenantCreated,
  TenantUpdated,
  TenantSuspended,
  TenantReactivated,
  TenantPolicyUpdated,
  TenantDefaultProviderChanged,
  IdentityProviderRegistered,
  IdentityProviderUpdated,
  IdentityProviderEnabled,
  IdentityProviderDisabled,
  IdentityProviderRemoved,
  AccountCreated,
  AccountUpdated,
  AccountDisabled,
  AccountEnabled,
  SessionStarted,
  SessionRevoked,
  LoginLockedOut,
  SigningKeysRotated,
  IdentityLinked,
  IdentityVerified,
  IdentityRemovalRequested,
  IdentityRemoved,
  IdentityRevoked,
  AccountRecoveryStarted,
  AccountRolesChanged,
  OAuthClientRegistered,
  OAuthClientUpdated,
  OAuthClientSecretRotated,
  OAuthClientRemoved,
  DeviceRegistered,
  DeviceRevoked,
  DeviceHandshakeCompleted,
  DeviceHandshakeObserved,
] as const;

type Catalogue = (typeof EVENT_CONTRACTS)[number];
export type EventType = Catalogue['type'];
export type ContractOf<Type extends EventType> = Extract<Catalogue, { type: Type }>;
export type DataOf<Type extends EventType> = z.infer<ContractOf<Type>['data']>;
/** An event of one type as a consumer receives it: the envelope with `data` parsed by its contract. */
export type EventOf<Type extends EventType> = EventEnvelope<DataOf<Type>> & { type: Type };

/** The event types `Service` consumes, as the contracts declare. */
export type ConsumedBy<Service extends ConsumerService> = Catalogue extends infer Contract
  ? Contract extends { type: infer Type; consumers: readonly (infer Consumer)[] }
    ? Service extends Consumer
      ? Type
      : never
    : never
  : never;

/** One handler for each type the service consumes: a missing one or an extra one fails to compile. */
export type HandlersOf<Service extends ConsumerService> = {
  [Type in ConsumedBy<Service>]: (event: EventOf<Type>) => Promise<void>;
};

const BY_TYPE = new Map<string, EventContract>(EVENT_CONTRACTS.map((contract) => [contract.type, contract]));

export function contractOf(type: string): EventContract | undefined {
  return BY_TYPE.get(type);
}

export function isEventType(type: string): type is EventType {
  return BY_TYPE.has(type);
}

export function consumedBy(service: ConsumerService): EventContract[] {
  return EVENT_CONTRACTS.filter((contract) => (contract.consumers as readonly string[]).includes(service));
}

/** Topics a service must read to receive every type it consumes. */
export function topicsConsumedBy(service: ConsumerService): string[] {
  return [...new Set(consumedBy(service).map((contract) => producerTopic(contract.producer)))];
}

/**
 * An event that can never be handled as it is: unreadable, not an envelope, or data that
 * fails its contract. Consumers park it on their dead-letter topic with this reason.
 */
export class EventContractViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventContractViolation';
  }
}

/** Parses a message value as an envelope; throws EventContractViolation naming what is wrong. */
export function parseEnvelope(value: unknown): EventEnvelope {
  const parsed = envelopeSchema.safeParse(value);
  if (!parsed.success) throw new EventContractViolation(`not an event envelope: ${summarize(parsed.error)}`);
  return parsed.data;
}

/** Parses `data` with the contract of the envelope's type. */
export function parseEventData<Type extends EventType>(envelope: EventEnvelope & { type: Type }): EventOf<Type> {
  const contract = BY_TYPE.get(envelope.type);
  if (!contract) throw new EventContractViolation(`unknown event type ${envelope.type}`);
  const data = contract.data.safeParse(envelope.data);
  if (!data.success) throw new EventContractViolation(`${envelope.type} fails its contract: ${summarize(data.error)}`);
  return { ...envelope, data: data.data } as EventOf<Type>;
}

/** Paths and expectations only, never the values: a dead-letter reason must not echo data. */
function summarize(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.code}`)
    .join('; ');
}
