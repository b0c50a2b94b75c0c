import type { Model } from 'mongoose';
import type { TenantId } from '@messngr/kit/core';
import { TenantScopedRecords } from '@messngr/kit/mongo';
import { identityClaimId, type IdentityKind } from '../domain/identity';
import type { IdentityClaimDocument } from './identity-claim.model';

/** Uniqueness of identity values per tenant: whoever inserts the claim first holds the value. */
export class IdentityClaimRepository extends TenantScopedRecords<IdentityClaimDocument> {
  constructor(model: Model<IdentityClaimDocument>) {
    super(model);
  }

  findClaim(tenantId: TenantId, kind: IdentityKind, value: string): Promise<IdentityClaimDocument | null> {
    return this.findById(tenantId, identityClaimId(tenantId, kind, value));
  }

  /** True when this account now holds the value; false when another (or the same) account holds it already. */
  claim(tenantId: TenantId, kind: IdentityKind, value: string, accountId: string, now: Date): Promise<boolean> {
    return this.insertIfAbsent({ _id: identityClaimId(tenantId, kind, value), tenantId, kind, accountId, claimedAt: now });
  }

  /** Gives a value up again, only if this account holds it (e.g. its account write failed). */
  release(tenantId: TenantId, kind: IdentityKind, value: string, accountId: string): Promise<boolean> {
    return this.deleteWhere(tenantId, { _id: identityClaimId(tenantId, kind, value), accountId });
  }
}
