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
    time: { type: Date, required: true },
    recordedAt: { type: Date, required: true },
    data: { type: Object, default: () => ({}) },
  },
  { collection: 'audit_entries', versionKey: false },
);
auditEntrySchema.index({ tenantId: 1, _id: -1 });
auditEntrySchema.index({ tenantId: 1, accountId: 1, _id: -1 });

export function auditEntryModel(connection: Connection): Model<AuditEntryDocument> {
  return connection.model<AuditEntryDocument>('AuditEntry', auditEntrySchema);
}
