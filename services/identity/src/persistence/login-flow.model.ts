import { Schema, type Connection, type Model } from 'mongoose';
import type { SealedSecret, TenantId } from '@messngr/kit/core';
import { addOutboxIndex, aggregateSchemaFields, type AggregateFields } from '@messngr/kit/mongo';
import type { CodePurpose } from '../delivery/login-code-message';
import type { LoginFlowCode, LoginFlowState } from '../domain/login-flow';

/**
 * A sign-in by one-time code. Its id is the capability the client holds (unguessable, 128
 * random bits). Everything but id, state, channel, masked destination and expiry is internal
 * and never leaves the server: the code's hash, and the code itself, sealed, only until it is
 * delivered.
 */
export interface LoginFlowDocument extends AggregateFields {
  tenantId: TenantId;
  /** Absent on sign-in flows: LINK adds the address to the owner's account, REAUTH proves the owner again. */
  purpose?: CodePurpose;
  /** The signed-in account and session that started a LINK or REAUTH flow: no one else may finish it. */
  owner?: FlowOwner | null;
  /** Why a LINK or REAUTH flow ended FAILED or CANCELLED, and what a LINK flow linked. */
  failure?: string | null;
  linkedIdentityId?: string | null;
  /** RECOVERY flows: the account support recovers, who started it and why, and the app page of the link. */
  recovery?: OperatorRecovery | null;
  channel: 'EMAIL' | 'PHONE';
  identifier: string;
  masked: string;
  locale: string | null;
  state: LoginFlowState;
  code: LoginFlowCode;
  /** False for an unknown address in a tenant without sign-up: nothing is sent, the answer is the same. */
  deliverable: boolean;
  delivery: { pending: boolean; sealedCode: SealedSecret | null; attempts: number; lastError: string | null };
  codesSent: number;
  clientIp: string | null;
  userAgent: string | null;
  issuedAt: Date;
  expiresAt: Date;
}

export interface OperatorRecovery {
  accountId: string;
  operatorId: string;
  reason: string;
  returnTo: string;
}

export interface FlowOwner {
  accountId: string;
  sessionId: string;
}

const loginFlowSchema = new Schema<LoginFlowDocument>(
  {
    ...aggregateSchemaFields,
    tenantId: { type: String, required: true },
    purpose: { type: String },
    owner: { type: Object, default: null },
    failure: { type: String, default: null },
    linkedIdentityId: { type: String, default: null },
    recovery: { type: Object, default: null },
    channel: { type: String, required: true },
    identifier: { type: String, required: true },
    masked: { type: String, required: true },
    locale: { type: String, default: null },
    state: { type: String, required: true },
    code: { type: Object, required: true },
    deliverable: { type: Boolean, required: true },
    delivery: { type: Object, required: true },
    codesSent: { type: Number, required: true },
    clientIp: { type: String, default: null },
    userAgent: { type: String, default: null },
    issuedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'login_flows', versionKey: false },
);
loginFlowSchema.index({ 'delivery.pending': 1 });
loginFlowSchema.index({ expiresAt: 1 });
addOutboxIndex(loginFlowSchema);

export function loginFlowModel(connection: Connection): Model<LoginFlowDocument> {
  return connection.model<LoginFlowDocument>('LoginFlow', loginFlowSchema);
}
