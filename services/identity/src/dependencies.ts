import type { Connection } from 'mongoose';
import { SecretBox, type Clock } from '@messngr/kit/core';
import type { OutboxRegistry } from '@messngr/kit/events';
import type { IdentityConfig } from './config';
import { accountModel } from './persistence/account.model';
import { AccountRepository } from './persistence/account.repository';
import { signingKeyringModel } from './persistence/signing-keyring.model';
import { tenantReplicaModel } from './persistence/tenant-replica.model';
import { TenantReplicaRepository } from './persistence/tenant-replica.repository';
import { AccessTokenIssuer } from './tokens/access-token-issuer';
import { SigningKeys } from './tokens/signing-keys';

export interface IdentityDependencies {
  accounts: AccountRepository;
  tenants: TenantReplicaRepository;
  keys: SigningKeys;
  tokens: AccessTokenIssuer;
  clock: Clock;
}

/** Wires repositories and token machinery on a connection; shared by the subgraph and the operator CLI. */
export function createIdentityDependencies(
  runtime: { connection: Connection; clock: Clock; outboxes: OutboxRegistry },
  config: IdentityConfig,
): IdentityDependencies {
  const tenants = new TenantReplicaRepository(tenantReplicaModel(runtime.connection));
  const keys = new SigningKeys(
    signingKeyringModel(runtime.connection),
    new SecretBox(config.encryptionKeys),
    runtime.clock,
    runtime.outboxes,
  );
  return {
    accounts: new AccountRepository(accountModel(runtime.connection), runtime.outboxes),
    tenants,
    keys,
    tokens: new AccessTokenIssuer({
      keys,
      tenants,
      clock: runtime.clock,
      publicUrl: config.publicUrl,
      audience: config.accessTokenAudience,
      ttlSeconds: config.accessTokenTtlSeconds,
    }),
    clock: runtime.clock,
  };
}
