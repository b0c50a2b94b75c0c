import type { Clock, EventEnvelope } from '@messngr/kit';
import type { TenantReplicaRepository } from '../persistence/tenant-replica.repository';
import type { SigningKeys } from '../tokens/signing-keys';

interface TenantEventData {
  tenant?: { id?: unknown; slug?: unknown; name?: unknown; status?: unknown };
}

/** Keeps the identity subgraph's copy of each tenant current and gives every tenant its signing keys. */
export function tenantEventsHandler(deps: { tenants: TenantReplicaRepository; keys: SigningKeys; clock: Clock }) {
  return async (event: EventEnvelope<unknown>): Promise<void> => {
    if (event.type !== 'tenant.tenant.created') return;
    const tenant = (event.data as TenantEventData).tenant;
    if (typeof tenant?.id !== 'string' || typeof tenant.slug !== 'string' || typeof tenant.name !== 'string') {
      throw new Error(`event ${event.id} has no readable tenant`);
    }
    const status = tenant.status === 'SUSPENDED' ? 'SUSPENDED' : 'ACTIVE';
    await deps.tenants.apply(
      { _id: tenant.id, slug: tenant.slug, name: tenant.name, status, lastEventId: event.id },
      deps.clock.now(),
    );
    await deps.keys.ensureKeyring(tenant.id);
  };
}
