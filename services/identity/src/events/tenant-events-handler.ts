import type { EventOf, HandlersOf } from '@messngr/contracts';
import { asTenantId, type Clock } from '@messngr/kit/core';
import { PermanentEventError, sequenceOf } from '@messngr/kit/events';
import type { TenantReplicaRepository } from '../persistence/tenant-replica.repository';
import type { UpstreamProviderRepository } from '../persistence/upstream-provider.repository';
import type { SigningKeys } from '../tokens/signing-keys';

type ProviderEvent = EventOf<
  | 'tenant.identity_provider.registered'
  | 'tenant.identity_provider.updated'
  | 'tenant.identity_provider.enabled'
  | 'tenant.identity_provider.disabled'
  | 'tenant.identity_provider.removed'
>;

type TenantStateEvent = EventOf<
  'tenant.tenant.created' | 'tenant.tenant.updated' | 'tenant.tenant.suspended' | 'tenant.tenant.reactivated'
>;

/**
 * Keeps the identity subgraph's copy of each tenant current (slug for issuer URLs, status
 * for sign-in, policy for link and login rules) and gives every tenant its signing keys.
 * A late redelivery never overwrites newer state: each copy remembers the sequence it reflects.
 */
export function tenantEventsHandler(deps: {
  tenants: TenantReplicaRepository;
  providers: UpstreamProviderRepository;
  keys: SigningKeys;
  clock: Clock;
}): Omit<HandlersOf<'identity'>, 'device.device.revoked'> {
  // Shared definitions are templates: a tenant's provider enabled from one is a copy with its own events.
  const applyProvider = async (event: ProviderEvent) => {
    const { identityProvider: provider, connection } = event.data;
    if (provider.tenantId === null) return;
    if (provider.tenantId !== event.tenantid)
      throw new PermanentEventError(`event ${event.id} is about another tenant than its tenantid`);
    await deps.providers.apply(provider.id, sequenceOf(event), {
      tenantId: provider.tenantId,
      kind: provider.kind,
      displayName: provider.displayName,
      badgeKey: provider.badgeKey,
      enabled: provider.enabled,
      personal: provider.personal,
      removed: event.type === 'tenant.identity_provider.removed',
      connection: connection ?? null,
      updatedAt: deps.clock.now(),
    });
  };
  // The created event carries the policy too: applied with the state, at the one sequence.
  const applyState = async (event: TenantStateEvent) => {
    const { tenant } = event.data;
    const policy = 'policy' in event.data ? event.data.policy : undefined;
    if (tenant.id !== event.tenantid)
      throw new PermanentEventError(`event ${event.id} is about another tenant than its tenantid`);
    await deps.tenants.apply(
      asTenantId(tenant.id),
      sequenceOf(event),
      {
        slug: tenant.slug,
        name: tenant.name,
        status: tenant.status,
        sessionLifetimes: tenant.sessionLifetimes,
        sessionCookie: tenant.sessionCookie,
        policy,
      },
      deps.clock.now(),
    );
  };
  return {
    'tenant.tenant.created': async (event) => {
      await applyState(event);
      await deps.keys.ensureKeyring(asTenantId(event.data.tenant.id));
    },
    'tenant.tenant.updated': applyState,
    'tenant.tenant.suspended': applyState,
    'tenant.tenant.reactivated': applyState,
    'tenant.identity_provider.registered': applyProvider,
    'tenant.identity_provider.updated': applyProvider,
    'tenant.identity_provider.enabled': applyProvider,
    'tenant.identity_provider.disabled': applyProvider,
    'tenant.identity_provider.removed': applyProvider,
    'tenant.tenant.policy_updated': async (event) => {
      await deps.tenants.applyPolicy(asTenantId(event.tenantid), sequenceOf(event), event.data.policy, deps.clock.now());
    },
  };
}
