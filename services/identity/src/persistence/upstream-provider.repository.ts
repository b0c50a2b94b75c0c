import { ReplicaStore } from '@messngr/kit/mongo';
import type { UpstreamProviderDocument } from './upstream-provider.model';

type ProviderState = Omit<UpstreamProviderDocument, '_id' | 'sequence'>;

/** Providers by id; each copy remembers the event sequence it reflects, so a late redelivery changes nothing. */
export class UpstreamProviderRepository extends ReplicaStore<UpstreamProviderDocument> {
  /** The tenant's enabled providers, in name order: the choices a sign-in page offers (the policy filters them further). */
  enabledOf(tenantId: string, limit = 20): Promise<UpstreamProviderDocument[]> {
    return this.find({ tenantId, enabled: true, removed: false }, { sort: { displayName: 1, _id: 1 }, limit });
  }

  apply(id: string, sequence: number, state: ProviderState): Promise<boolean> {
    return this.applyIfNewer(id, sequence, state);
  }
}
