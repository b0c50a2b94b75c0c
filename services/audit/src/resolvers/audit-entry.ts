import type { AuditActorType, AuditEntryResolvers } from '../generated/resolvers-types';
import { auditSummary } from '../domain/audit-summary';
import { auditActorKind } from '../domain/audit-actor';
import { auditChanges } from '../domain/audit-changes';
import { localTime, relativeTime } from '../domain/feed-viewer';
import type { AuditDependencies } from '../dependencies';
import { findReadableAuditEntry } from '../use-cases/audit-access';
import { viewEntries } from '../use-cases/entry-views';

export function auditEntryResolvers(deps: Pick<AuditDependencies, 'entries' | 'accounts' | 'clock'>): AuditEntryResolvers {
  return {
    __resolveReference: async (reference, { caller }) => {
      const entry = await findReadableAuditEntry(deps.entries, caller, reference.id);
      return entry ? ((await viewEntries(deps, caller, [entry]))[0] ?? null) : null;
    },
    id: ({ entry }) => entry._id,
    type: ({ entry }) => entry.type,
    subject: ({ entry }) => entry.subject,
    occurredAt: ({ entry }) => entry.time,
    actorId: ({ entry }) => entry.actorId,
    actorType: ({ entry }) => (entry.actorType ? (entry.actorType.toUpperCase() as AuditActorType) : null),
    accountId: ({ entry }) => entry.accountId,
    summary: ({ entry }) => auditSummary(entry.type, entry.data, 'en'),
    sentence: ({ entry, viewer }) => auditSummary(entry.type, entry.data, viewer.language),
    relativeTime: ({ entry, viewer, now }) => relativeTime(entry.time, now, viewer),
    localTime: ({ entry, viewer }) => localTime(entry.time, viewer),
    timeZone: ({ viewer }) => viewer.timeZone,
    actor: ({ entry, actorName }) => ({
      kind: auditActorKind(entry.actorType),
      id: entry.actorId,
      displayName: actorName,
      reason: entry.actorReason ?? null,
    }),
    clientIp: ({ entry }) => entry.clientIp ?? null,
    userAgent: ({ entry }) => entry.userAgent ?? null,
    changes: ({ entry }) => auditChanges(entry.type, entry.data),
    correlationId: ({ entry }) => entry.correlationId ?? null,
  };
}
