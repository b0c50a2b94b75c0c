import { createEvent, type EventEnvelope } from '@messngr/kit';
import type { TenantDocument } from '../persistence/tenant.model';

export const TENANT_SERVICE = 'tenant';

export interface TenantCreatedData {
  tenant: { id: string; name: string; slug: string; status: string };
}

export function tenantCreated(
  tenant: Pick<TenantDocument, '_id' | 'name' | 'slug' | 'status'>,
  actorId: string | undefined,
  time: Date,
): EventEnvelope<TenantCreatedData> {
  return createEvent({
    service: TENANT_SERVICE,
    type: 'tenant.tenant.created',
    subject: tenant._id,
    tenantId: tenant._id,
    actor: actorId ? { id: actorId, type: 'account' } : { type: 'system' },
    time,
    data: { tenant: { id: tenant._id, name: tenant.name, slug: tenant.slug, status: tenant.status } },
  });
}
