import type { EventOf, HandlersOf } from '@messngr/contracts';
import { asTenantId, type Clock } from '@messngr/kit/core';
import { PermanentEventError, sequenceOf } from '@messngr/kit/events';
import type { TenantReplicaRepository } from '../persistence/tenant-replica.repository';
import type { SigningKeys } from '../tokens/signing-keys';

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
  keys: SigningKeys;
  clock: Clock;
}): HandlersOf<'identity'> {
  // The created event carries the policy too: applied with the state, at the one sequence.
  const applyState = async (event: TenantStateEvent) => {
    const { tenant } = event.data;
    const policy = 'policy' in event.data ? event.data.policy : undefined;
    if (tenant.id !== event.tenantid) throw new PermanentEventError(`event ${event.id} is about another tenant than its tenantid`);
    await deps.tenants.apply(
      asTenantId(tenant.id),
      sequenceOf(event),
      { slug: tenant.slug, name: tenant.name, status: tenant.status, sessionLifetimes: tenant.sessionLifetimes, sessionCookie: tenant.sessionCookie, policy },
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
    'tenant.tenant.policy_updated': async (event) => {
      await deps.tenants.applyPolicy(asTenantId(event.tenantid), sequenceOf(event), event.data.policy, deps.clock.now());
    },
  };
}
