import { Schema, type Connection, type Model } from 'mongoose';
import type { SealedSecret, TenantId } from '@messngr/kit/core';
import { addOutboxIndex, aggregateSchemaFields, type AggregateFields } from '@messngr/kit/mongo';
import type {
  ProviderFlowFailure,
  ProviderFlowOutcome,
  ProviderFlowPurpose,
  ProviderFlowState,
  UpstreamIdentity,
} from '../domain/provider-flow';
import type { FlowOwner } from './login-flow.model';

/**
 * A sign-in through an upstream provider (see domain/provider-flow.ts). `checks` holds the
 * state secret, nonce and PKCE verifier sealed with the service's key; `browserBindingHash` is
 * what the callback's browser must prove (its flow cookie), `completionSecretHash` what
 * completeProviderLogin's caller must prove; none of them ever leaves the server.
 */
export interface ProviderFlowDocument extends AggregateFields {
  tenantId: TenantId;
  purpose: ProviderFlowPurpose;
  /** The signed-in account and session a LINK or REAUTH flow belongs to; null for a sign-in. */
  owner: FlowOwner | null;
  providerId: string;
  state: ProviderFlowState;
  failure: ProviderFlowFailure | null;
  returnTo: string;
  redirectUri: string;
  checks: SealedSecret;
  browserBindingHash: string;
  /** Sign-in flows only. */
  completionSecretHash: string | null;
  /** What a LINK flow linked. */
  linkedIdentityId: string | null;
  upstream: UpstreamIdentity | null;
  outcome: ProviderFlowOutcome | null;
  clientIp: string | null;
  userAgent: string | null;
  issuedAt: Date;
  expiresAt: Date;
}

const providerFlowSchema = new Schema<ProviderFlowDocument>(
  {
    ...aggregateSchemaFields,
    tenantId: { type: String, required: true },
    purpose: { type: String, required: true },
    owner: { type: Object, default: null },
    providerId: { type: String, required: true },
    state: { type: String, required: true },
    failure: { type: String, default: null },
    returnTo: { type: String, required: true },
    redirectUri: { type: String, required: true },
    checks: { type: Object, required: true },
    browserBindingHash: { type: String, required: true },
    completionSecretHash: { type: String, default: null },
    linkedIdentityId: { type: String, default: null },
    upstream: { type: Object, default: null },
    outcome: { type: Object, default: null },
    clientIp: { type: String, default: null },
    userAgent: { type: String, default: null },
    issuedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'provider_flows', versionKey: false },
);
providerFlowSchema.index({ expiresAt: 1 });
addOutboxIndex(providerFlowSchema);

export function providerFlowModel(connection: Connection): Model<ProviderFlowDocument> {
  return connection.model<ProviderFlowDocument>('ProviderFlow', providerFlowSchema);
}
