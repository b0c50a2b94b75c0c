import { Schema, type Connection, type Model } from 'mongoose';
import type { ProviderConnectionData } from '@messngr/contracts';
import type { ReplicaFields } from '@messngr/kit/mongo';

/**
 * A tenant's identity provider as the identity subgraph knows it from the tenant subgraph's
 * events: enough to show it and to act as its relying party. The client secret stays sealed
 * as it arrived (PROVIDER_SECRETS_KEYS) and is opened only for a token request.
 */
export interface UpstreamProviderDocument extends ReplicaFields {
  _id: string;
  tenantId: string;
  kind: 'NATIVE' | 'OIDC' | 'OAUTH2';
  displayName: string;
  badgeKey: string;
  enabled: boolean;
  personal: boolean;
  removed: boolean;
  /** Null for NATIVE providers, and for providers known only from events published before upstream sign-in. */
  connection: ProviderConnectionData | null;
  updatedAt: Date;
}

const upstreamProviderSchema = new Schema<UpstreamProviderDocument>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    kind: { type: String, required: true },
    displayName: { type: String, required: true },
    badgeKey: { type: String, required: true },
    enabled: { type: Boolean, required: true },
    personal: { type: Boolean, required: true },
    removed: { type: Boolean, required: true },
    connection: { type: Object, default: null },
    sequence: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'identity_providers', versionKey: false },
);
upstreamProviderSchema.index({ tenantId: 1 });

export function upstreamProviderModel(connection: Connection): Model<UpstreamProviderDocument> {
  return connection.model<UpstreamProviderDocument>('UpstreamProvider', upstreamProviderSchema);
}

/** A provider the relying party can talk to: upstream, with its connection known. */
export type UsableUpstream = UpstreamProviderDocument & { kind: 'OIDC' | 'OAUTH2'; connection: ProviderConnectionData };
