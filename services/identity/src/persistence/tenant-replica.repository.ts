import type { Model } from 'mongoose';
import type { TenantPolicyData } from '@messngr/contracts';
import type { TenantId } from '@messngr/kit/core';
import { ReplicaStore } from '@messngr/kit/mongo';
import type { TenantReplicaDocument } from './tenant-replica.model';

type TenantState = Pick<TenantReplicaDocument, 'slug' | 'name' | 'status'> &
  Partial<Pick<TenantReplicaDocument, 'sessionLifetimes' | 'sessionCookie' | 'policy'>>;

/** Tenants are the scope itself: looked up by id, or by slug for issuer URLs. */
export class TenantReplicaRepository extends ReplicaStore<TenantReplicaDocument> {
  readonly #bySlug = new Map<string, { tenant: TenantReplicaDocument; at: number }>();
  readonly #byId = new Map<string, { tenant: TenantReplicaDocument; at: number }>();

  constructor(model: Model<TenantReplicaDocument>) {
    super(model);
  }

  /** Slugs change rarely; a short cache keeps token issuing and JWKS off the database. */
  async findBySlug(slug: string, now = Date.now()): Promise<TenantReplicaDocument | null> {
    const cached = this.#bySlug.get(slug);
    if (cached && now - cached.at < 5_000) return cached.tenant;
    const tenant = await this.findOne({ slug });
    if (tenant) this.#bySlug.set(slug, { tenant, at: now });
    return tenant;
  }

  /** By id, from a short cache: the token and refresh paths read it on every call. */
  async findCached(id: TenantId, now = Date.now()): Promise<TenantReplicaDocument | null> {
    const cached = this.#byId.get(id);
    if (cached && now - cached.at < 5_000) return cached.tenant;
    const tenant = await this.findById(id);
    if (tenant) this.#byId.set(id, { tenant, at: now });
    return tenant;
  }

  /** Applies the tenant's state from an event newer than the copy; idempotent. */
  async apply(id: TenantId, sequence: number, state: TenantState, now: Date): Promise<void> {
    const fields = Object.fromEntries(Object.entries(state).filter(([, value]) => value !== undefined));
    await this.applyIfNewer(id, sequence, { ...fields, updatedAt: now });
    this.forget(id, state.slug);
  }

  async applyPolicy(id: TenantId, sequence: number, policy: TenantPolicyData, now: Date): Promise<void> {
    await this.applyIfNewer(id, sequence, { policy, updatedAt: now });
    this.forget(id);
  }

  // Slugs can change: forget every cached entry of this tenant, not just the new slug.
  private forget(id: TenantId, slug?: string): void {
    this.#byId.delete(id);
    for (const [cachedSlug, cached] of this.#bySlug) if (cached.tenant._id === id) this.#bySlug.delete(cachedSlug);
    if (slug) this.#bySlug.delete(slug);
  }
}
