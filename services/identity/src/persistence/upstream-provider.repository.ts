import { ReplicaStore } from '@messngr/kit/mongo';
import type { UpstreamProviderDocument } from './upstream-provider.model';

type ProviderState = Omit<UpstreamProviderDocument, '_id' | 'sequence'>;

/** Providers by id; each copy remembers the event sequence it reflects, so a late redelivery changes nothing. */
export class UpstreamProviderRepository extends ReplicaStore<UpstreamProviderDocument> {
  apply(id: string, sequence: number, state: ProviderState): Promise<boolean> {
    return this.applyIfNewer(id, sequence, state);
  }
}
