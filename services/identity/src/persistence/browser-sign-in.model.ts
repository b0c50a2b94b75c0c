import { Schema, type Connection, type Model } from 'mongoose';
import type { TenantId } from '@messngr/kit/core';
import { addOutboxIndex, aggregateSchemaFields, type AggregateFields } from '@messngr/kit/mongo';
import type { SessionDocument } from './session.model';

export type BrowserSignInStatus = 'ACTIVE' | 'ENDED';

/**
 * A sign-in on the tenant's hosted pages: what the browser session cookie stands for. The
 * authorization server's session (its cookie an opaque handle) names this record as its
 * account, so the cookie carries nothing of the account; tokens minted from it begin
 * identity sessions recording the identity and provider used here.
 */
export interface BrowserSignInDocument extends AggregateFields {
  tenantId: TenantId;
  accountId: string;
  identity: SessionDocument['identity'];
  providerId: string | null;
  authenticatedAt: Date;
  status: BrowserSignInStatus;
  createdAt: Date;
  endedAt: Date | null;
}

const browserSignInSchema = new Schema<BrowserSignInDocument>(
  {
    ...aggregateSchemaFields,
    tenantId: { type: String, required: true },
    accountId: { type: String, required: true },
    identity: { type: Object, required: true },
    providerId: { type: String, default: null },
    authenticatedAt: { type: Date, required: true },
    status: { type: String, required: true },
    createdAt: { type: Date, required: true },
    endedAt: { type: Date, default: null },
  },
  { collection: 'browser_sign_ins', versionKey: false },
);
addOutboxIndex(browserSignInSchema);

export function browserSignInModel(connection: Connection): Model<BrowserSignInDocument> {
  return connection.model<BrowserSignInDocument>('BrowserSignIn', browserSignInSchema);
}
