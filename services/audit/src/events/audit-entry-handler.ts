import { STARTING_TENANT_POLICY, sameHandlerForEach, type EventEnvelope, type HandlersOf } from '@messngr/contracts';
import { asTenantId, type Clock } from '@messngr/kit/core';
import { sequenceOf } from '@messngr/kit/events';
import type { AccountReplicaRepository } from '../persistence/account-replica.repository';
import type { AuditEntryRepository } from '../persistence/audit-entry.repository';
import type { TenantRetentionRepository } from '../persistence/tenant-retention.repository';
import { auditEntryFromEvent } from './audit-entry-from-event';

export interface AuditEntryHandlerDeps {
  entries: Pick<AuditEntryRepository, 'record'>;
  accounts: Pick<AccountReplicaRepository, 'applyIfNewer'>;
  retention: Pick<TenantRetentionRepository, 'applyIfNewer'>;
  clock: Clock;
}

/**
 * Records every event once, keyed by its id: a redelivered event (even one with other data
 * under the same id) leaves the entry as it was. Account events also keep the replica the
 * feed is written from (names, locale, time zone), and tenant events the tenant's retention.
 */
export function auditEntryHandler(deps: AuditEntryHandlerDeps): HandlersOf<'audit'> {
  return sameHandlerForEach('audit', async (event) => {
    await keepReplicas(deps, event);
    await deps.entries.record(auditEntryFromEvent(event, deps.clock.now()));
  });
}

async function keepReplicas(deps: AuditEntryHandlerDeps, event: EventEnvelope): Promise<void> {
  const data = (event.data ?? {}) as Record<string, unknown>;
  if (event.type === 'identity.account.created' || event.type === 'identity.account.updated') {
    const account = data['account'] as {
      id: string;
      tenantId: string;
      displayName: string;
      preferredLocale?: string | null;
      timeZone?: string | null;
    };
    if (account.tenantId !== event.tenantid || event.sequence === undefined) return;
    await deps.accounts.applyIfNewer({
      _id: account.id,
      tenantId: asTenantId(account.tenantId),
      sequence: sequenceOf(event),
      displayName: account.displayName,
      preferredLocale: account.preferredLocale ?? null,
      timeZone: account.timeZone ?? null,
    });
  }
  if (event.type === 'tenant.tenant.created' || event.type === 'tenant.tenant.policy_updated') {
    if (event.sequence === undefined || event.subject !== event.tenantid) return;
    const policy = data['policy'] as { auditRetentionDays?: number } | undefined;
    await deps.retention.applyIfNewer(asTenantId(event.subject), sequenceOf(event), {
      auditRetentionDays: policy?.auditRetentionDays ?? STARTING_TENANT_POLICY.auditRetentionDays,
    });
  }
}
