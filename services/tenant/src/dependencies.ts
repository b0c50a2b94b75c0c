import { SecretBox, type Clock } from '@messngr/kit/core';
import { createOutboundFetch, type OutboundFetch } from '@messngr/kit/http';
import type { SubgraphRuntime } from '@messngr/kit/subgraph';
import type { TenantConfig } from './config';
import type { ProviderSecretBoxes } from './events/provider-event-connection';
import { sharedProviderModel } from './persistence/shared-provider.model';
import { SharedProviderRepository } from './persistence/shared-provider.repository';
import { tenantModel } from './persistence/tenant.model';
import { TenantRepository } from './persistence/tenant.repository';

export interface TenantDependencies {
  tenants: TenantRepository;
  sharedProviders: SharedProviderRepository;
  /** Seals client secrets at rest (SECRETS_ENCRYPTION_KEYS). */
  secretBox: SecretBox;
  /** Opens them from rest and seals them into provider events for the identity subgraph (PROVIDER_SECRETS_KEYS). */
  providerSecretBoxes: ProviderSecretBoxes;
  clock: Clock;
  /** Every request to a provider goes through it: private addresses refused after DNS, size and time bounded. */
  outbound: OutboundFetch;
  /** Outside production, upstream providers on loopback may use http (test and development OPs). */
  allowInsecureLoopback: boolean;
}

export function createTenantDependencies(runtime: SubgraphRuntime, config: TenantConfig): TenantDependencies {
  const secretBox = new SecretBox(config.encryptionKeys);
  return {
    tenants: new TenantRepository(tenantModel(runtime.connection), runtime.outboxes),
    sharedProviders: new SharedProviderRepository(sharedProviderModel(runtime.connection), runtime.outboxes),
    secretBox,
    providerSecretBoxes: { atRest: secretBox, transport: new SecretBox(config.providerSecretsKeys) },
    clock: runtime.clock,
    outbound: createOutboundFetch({ httpsOnly: config.production, allowedNetworks: config.outboundAllowedNetworks }),
    allowInsecureLoopback: !config.production,
  };
}
