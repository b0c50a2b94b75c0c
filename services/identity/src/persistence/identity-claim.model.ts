import { Schema, type Connection, type Model } from 'mongoose';
import type { TenantId } from '@messngr/kit/core';
import type { IdentityKind } from '../domain/identity';

/** `_id` = `tenantId:kind:value` (identityClaimId): the value is the claimed account's in that tenant. */
export interface IdentityClaimDocument {
  _id: string;
  tenantId: TenantId;
  kind: IdentityKind;
  accountId: string;
  claimedAt: Date;
}

const identityClaimSchema = new Schema<IdentityClaimDocument>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    kind: { type: String, required: true },
    accountId: { type: String, required: true },
    claimedAt: { type: Date, required: true },
  },
  { collection: 'identity_claims', versionKey: false },
);
identityClaimSchema.index({ tenantId: 1, accountId: 1 });

export function identityClaimModel(connection: Connection): Model<IdentityClaimDocument> {
  return connection.model<IdentityClaimDocument>('IdentityClaim', identityClaimSchema);
}
