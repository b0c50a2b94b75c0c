import type { Clock, EventEnvelope } from '@messngr/kit';
import type { TenantReplicaRepository } from '../persistence/tenant-replica.repository';
import type { SigningKeys } from '../tokens/signing-keys';

interface TenantEventData {
  tenant?: { id?: unknown; slug?: unknown; name?: unknown; status?: unknown };
  policy?: unknown;
}

/** Events that carry the tenant's current id, slug, name and status. */
const TENANT_STATE_EVENTS = new Set([
  'tenant.tenant.created',
  'tenant.tenant.updated',
  'tenant.tenant.suspended',
  'tenant.tenant.reactivated',
]);

/**
 * Keeps the identity subgraph's copy of each tenant current (slug for issuer URLs, status
 * for sign-in, policy for link and login rules) and gives every tenant its signing keys.
 */
export function tenantEventsHandler(deps: { tenants: TenantReplicaRepository; keys: SigningKeys; clock: Clock }) {
  return async (event: EventEnvelope<unknown>): Promise<void> => {
    const data = event.data as TenantEventData;
    if (event.type === 'tenant.tenant.policy_updated') {
      if (typeof data.policy !== 'object' || data.policy === null) throw new Error(`event ${event.id} has no readable policy`);
      await deps.tenants.applyPolicy(event.tenantid, data.policy as Record<string, unknown>, event.id);
      return;
    }
    if (!TENANT_STATE_EVENTS.has(event.type)) return;
    const tenant = data.tenant;
    if (
      typeof tenant?.id !== 'string' ||
      typeof tenant.slug !== 'string' ||
      typeof tenant.name !== 'string' ||
      tenant.id !== event.tenantid
    ) {
      throw new Error(`event ${event.id} has no readable tenant`);
    }
    const status = tenant.status === 'SUSPENDED' ? 'SUSPENDED' : 'ACTIVE';
    await deps.tenants.apply(
      { _id: tenant.id, slug: tenant.slug, name: tenant.name, status, lastEventId: event.id },
      deps.clock.now(),
    );
    if (event.type === 'tenant.tenant.created') await deps.keys.ensureKeyring(tenant.id);
  };
}
