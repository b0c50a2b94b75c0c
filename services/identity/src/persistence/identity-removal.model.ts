import { Schema, type Connection, type Model } from 'mongoose';
import type { TenantId } from '@messngr/kit/core';
import { addOutboxIndex, aggregateSchemaFields, type AggregateFields } from '@messngr/kit/mongo';
import type { RemovalFlowState } from '../domain/identity-removal';

/**
 * A request to remove an identity, waiting for its confirmation (double confirmation: the
 * request answers a one-time confirmation token, confirmIdentityRemoval presents it). Only
 * the token's hash is kept. The removal itself is decided inside the account document.
 */
export interface IdentityRemovalDocument extends AggregateFields {
  tenantId: TenantId;
  accountId: string;
  sessionId: string;
  identityId: string;
  confirmationHash: string;
  state: RemovalFlowState;
  failure: string | null;
  issuedAt: Date;
  expiresAt: Date;
}

const identityRemovalSchema = new Schema<IdentityRemovalDocument>(
  {
    ...aggregateSchemaFields,
    tenantId: { type: String, required: true },
    accountId: { type: String, required: true },
    sessionId: { type: String, required: true },
    identityId: { type: String, required: true },
    confirmationHash: { type: String, required: true },
    state: { type: String, required: true },
    failure: { type: String, default: null },
    issuedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'identity_removals', versionKey: false },
);
identityRemovalSchema.index({ expiresAt: 1 });
addOutboxIndex(identityRemovalSchema);

export function identityRemovalModel(connection: Connection): Model<IdentityRemovalDocument> {
  return connection.model<IdentityRemovalDocument>('IdentityRemoval', identityRemovalSchema);
}
