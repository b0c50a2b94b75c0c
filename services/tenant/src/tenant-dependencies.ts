import type { Clock, SecretBox } from '@messngr/kit';
import type { SharedProviderRepository } from './persistence/shared-provider.repository';
import type { TenantRepository } from './persistence/tenant.repository';

export interface TenantDependencies {
  tenants: TenantRepository;
  sharedProviders: SharedProviderRepository;
  secretBox: SecretBox;
  clock: Clock;
  /** Outside production, upstream providers on loopback may use http (test and development OPs). */
  allowInsecureLoopback: boolean;
}
