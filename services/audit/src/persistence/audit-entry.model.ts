import { Schema, type Connection, type Model } from 'mongoose';
import type { ActorType } from '@messngr/contracts';
import type { TenantId } from '@messngr/kit/core';

export type AuditActorKind = ActorType;

/**
 * One event, recorded once and never changed: `_id` is the event id, so redelivery cannot
 * duplicate it, and event ids are time-ordered, so `_id` order is the order of events.
 */
export interface AuditEntryDocument {
  _id: string;
  tenantId: TenantId;
  accountId: string | null;
  type: string;
  source: string;
  subject: string;
  actorId: string | null;
  actorType: AuditActorKind | null;
  /** Why, in the actor's words, when support or an administrator acted on someone else's account. */
  actorReason?: string | null;
  /** The request the event came from, as the gateway saw it (absent for entries recorded before they were kept). */
  clientIp?: string | null;
  userAgent?: string | null;
  correlationId?: string | null;
  time: Date;
  recordedAt: Date;
  data: Record<string, unknown>;
}

const auditEntrySchema = new Schema<AuditEntryDocument>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    accountId: { type: String, default: null },
    type: { type: String, required: true },
    source: { type: String, required: true },
    subject: { type: String, required: true },
    actorId: { type: String, default: null },
    actorType: { type: String, default: null },
    actorReason: { type: String, default: null },
    clientIp: { type: String, default: null },
    userAgent: { type: String, default: null },
    correlationId: { type: String, default: null },
    time: { type: Date, required: true },
    recordedAt: { type: Date, required: true },
    data: { type: Object, default: () => ({}) },
  },
  { collection: 'audit_entries', versionKey: false },
);
// Every read of the feed and the audit log is (tenant, one equality) then `_id` descending, so a
// page costs the same however many entries there are; time bounds are `_id` bounds (ids are time-ordered).
auditEntrySchema.index({ tenantId: 1, _id: -1 });
auditEntrySchema.index({ tenantId: 1, accountId: 1, _id: -1 });
auditEntrySchema.index({ tenantId: 1, accountId: 1, type: 1, _id: -1 });
auditEntrySchema.index({ tenantId: 1, actorId: 1, _id: -1 });
auditEntrySchema.index({ tenantId: 1, type: 1, _id: -1 });

export function auditEntryModel(connection: Connection): Model<AuditEntryDocument> {
  return connection.model<AuditEntryDocument>('AuditEntry', auditEntrySchema);
}
