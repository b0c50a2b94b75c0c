import type { Model } from 'mongoose';
import type { TenantId } from '@messngr/kit/core';
import type { OutboxRegistry } from '@messngr/kit/events';
import { TenantScopedStore } from '@messngr/kit/mongo';
import type { SessionDocument } from './session.model';

/** Listing bound for one account's sessions; far above what a person has. */
const MAX_LISTED_SESSIONS = 200;

export class SessionRepository extends TenantScopedStore<SessionDocument> {
  constructor(model: Model<SessionDocument>, outboxes: OutboxRegistry) {
    super(model, { outboxes });
  }

  /** The account's sessions, newest first; ended ones too when asked. */
  ofAccount(tenantId: TenantId, accountId: string, includeEnded: boolean): Promise<SessionDocument[]> {
    const filter = includeEnded ? { accountId } : { accountId, status: 'ACTIVE' as const };
    return this.find(tenantId, filter, { sort: { _id: -1 }, limit: MAX_LISTED_SESSIONS });
  }

  /** The active sessions the authorization server began from one grant, or from one hosted-page sign-in. */
  ofAuthorization(tenantId: TenantId, by: { grantId: string } | { browserSignInId: string }): Promise<SessionDocument[]> {
    const filter =
      'grantId' in by
        ? { 'oauth.grantId': by.grantId, status: 'ACTIVE' as const }
        : { 'oauth.browserSignInId': by.browserSignInId, status: 'ACTIVE' as const };
    return this.find(tenantId, filter, { limit: MAX_LISTED_SESSIONS });
  }

  /** A page of the active sessions signed in to one OAuth client, by id after `after`. */
  activeOfClient(tenantId: TenantId, clientId: string, after: string, limit: number): Promise<SessionDocument[]> {
    return this.find(tenantId, { clientId, status: 'ACTIVE', _id: { $gt: after } }, { sort: { _id: 1 }, limit });
  }

  /**
   * The refresh fast path, without a read: rotates only if the session is still at the
   * version the token remembers, active, unexpired, and its current token is the one
   * presented. One round trip on MongoDB, two on FerretDB; null when anything did not hold,
   * and the caller reads and decides (grace, reuse, refusal, or a rotation after all).
   */
  rotateIfCurrent(
    tenantId: TenantId,
    id: string,
    expectedVersion: number,
    presentedHash: string,
    changes: Record<`${string}.${string}`, unknown>,
    now: Date,
  ): Promise<SessionDocument | null> {
    return this.changeAtVersion(
      tenantId,
      id,
      expectedVersion,
      {
        status: 'ACTIVE',
        'refresh.hash': presentedHash,
        'refresh.absoluteExpiresAt': { $gt: now },
        'refresh.idleExpiresAt': { $gt: now },
      },
      changes,
    );
  }
}
