import { Schema, type Connection, type Model } from 'mongoose';

/** One event, recorded once: `_id` is the event id, so redelivery cannot duplicate it. */
export interface AuditEntryDocument {
  _id: string;
  tenantId: string;
  accountId: string | null;
  type: string;
  source: string;
  subject: string;
  actorId: string | null;
  actorType: 'account' | 'operator' | 'system' | null;
  occurredAt: Date;
  recordedAt: Date;
  data: Record<string, unknown>;
}

export interface AccountReference {
  id: string;
  tenantId: string;
}

export interface TenantReference {
  id: string;
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
    occurredAt: { type: Date, required: true },
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
