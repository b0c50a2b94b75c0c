import type { AuditActorType, AuditEntryResolvers } from '../generated/resolvers-types';
import { auditSummary } from '../domain/audit-summary';
import type { AuditEntryRepository } from '../persistence/audit-entry.repository';
import { findReadableAuditEntry } from '../use-cases/audit-access';

export function auditEntryResolvers(entries: AuditEntryRepository): AuditEntryResolvers {
  return {
    __resolveReference: (reference, { caller }) => findReadableAuditEntry(entries, caller, reference.id),
    id: (entry) => entry._id,
    occurredAt: (entry) => entry.time,
    actorType: (entry) => (entry.actorType ? (entry.actorType.toUpperCase() as AuditActorType) : null),
    summary: (entry) => auditSummary(entry.type, entry.data),
  };
}
