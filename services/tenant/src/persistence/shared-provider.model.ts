import { Schema, type Connection, type Model } from 'mongoose';
import { addOutboxIndex, aggregateSchemaFields, type AggregateFields } from '@messngr/kit/mongo';
import type { StoredIdentityProvider } from '../domain/identity-provider';

/** A shared provider definition (GitHub, Google...): platform-owned, enabled per tenant. */
export interface SharedProviderDocument extends AggregateFields, Omit<StoredIdentityProvider, 'id'> {
  removed: boolean;
}

const sharedProviderSchema = new Schema<SharedProviderDocument>(
  { ...aggregateSchemaFields, removed: { type: Boolean, default: false } },
  { collection: 'shared_identity_providers', versionKey: false, strict: false },
);
addOutboxIndex(sharedProviderSchema);

export function sharedProviderModel(connection: Connection): Model<SharedProviderDocument> {
  return connection.model<SharedProviderDocument>('SharedIdentityProvider', sharedProviderSchema);
}
