import type Provider from 'oidc-provider';
import type { Model } from 'mongoose';
import type { TenantReplicaDocument } from '../persistence/tenant-replica.model';
import type { AuthorizationRecordDocument } from '../persistence/authorization-record.model';
import { endSession } from '../use-cases/end-sessions';
import type { AuthorizationServerDependencies } from './authorization-server-dependencies';
import { clientMetadataOf } from './client-metadata';
import { authorizationStore, type AuthorizationStore } from './store-adapter';
import { buildTenantProvider, providerFingerprint, type ProviderSettings } from './tenant-provider';

export interface TenantAuthorization {
  tenant: TenantReplicaDocument;
  provider: Provider;
  store: AuthorizationStore;
}

/**
 * One authorization server per tenant, built on first use and rebuilt when what it was built
 * from changes: the signing key (a rotation reaches the ID tokens within the keyring cache's
 * half minute), the slug, the session cookie or lifetimes.
 */
export class AuthorizationServers {
  readonly #built = new Map<string, { fingerprint: string; authorization: Promise<TenantAuthorization> }>();

  constructor(
    private readonly deps: AuthorizationServerDependencies,
    private readonly records: Model<AuthorizationRecordDocument>,
    private readonly settings: ProviderSettings,
  ) {}

  async forSlug(slug: string): Promise<TenantAuthorization | null> {
    const tenant = await this.deps.tenants.findBySlug(slug);
    if (!tenant) return null;
    const { kid } = await this.deps.keys.activeKey(tenant._id);
    const fingerprint = providerFingerprint(tenant, kid);
    const built = this.#built.get(tenant._id);
    if (built && built.fingerprint === fingerprint) return built.authorization;
    const authorization = this.build(tenant);
    this.#built.set(tenant._id, { fingerprint, authorization });
    authorization.catch(() => this.#built.delete(tenant._id));
    return authorization;
  }

  /** Deletes expired codes, sessions and interactions of every tenant (FerretDB has no TTL indexes); how many. */
  async sweepExpired(now: Date): Promise<number> {
    return (await this.records.deleteMany({ expiresAt: { $lte: now } })).deletedCount;
  }

  private async build(tenant: TenantReplicaDocument): Promise<TenantAuthorization> {
    const { deps } = this;
    const store = authorizationStore(this.records, deps.clock, tenant._id, {
      findClient: async (clientId) => {
        const client = await deps.oauthClients.findById(tenant._id, clientId);
        return client ? clientMetadataOf(client, deps.secretBox) : undefined;
      },
      // A replayed code or a sign-out revokes the grant: the sessions its codes began end with it.
      onGrantRevoked: async (grantId) => {
        const sessions = await deps.sessions.ofAuthorization(tenant._id, { grantId });
        const now = deps.clock.now();
        await Promise.all(sessions.map((session) => endSession(deps, session, 'GRANT_REVOKED', { type: 'system' }, now)));
      },
    });
    const provider = await buildTenantProvider(deps, tenant, store, this.settings);
    return { tenant, provider, store };
  }
}
