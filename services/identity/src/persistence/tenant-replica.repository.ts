import type { Model } from 'mongoose';
import type { TenantReplicaDocument } from './tenant-replica.model';

export class TenantReplicaRepository {
  private readonly bySlug = new Map<string, { tenant: TenantReplicaDocument; at: number }>();

  constructor(readonly model: Model<TenantReplicaDocument>) {}

  findById(id: string): Promise<TenantReplicaDocument | null> {
    return this.model.findOne({ _id: id }).lean<TenantReplicaDocument>().exec();
  }

  /** Slugs change rarely; a short cache keeps token issuing and JWKS off the database. */
  async findBySlug(slug: string, now = Date.now()): Promise<TenantReplicaDocument | null> {
    const cached = this.bySlug.get(slug);
    if (cached && now - cached.at < 5_000) return cached.tenant;
    const tenant = await this.model.findOne({ slug }).lean<TenantReplicaDocument>().exec();
    if (tenant) this.bySlug.set(slug, { tenant, at: now });
    return tenant;
  }

  async applyPolicy(tenantId: string, policy: Record<string, unknown>, eventId: string): Promise<void> {
    await this.model.collection.updateOne({ _id: tenantId } as never, { $set: { policy, lastEventId: eventId } });
  }

  /** Upsert from an event; idempotent. */
  async apply(tenant: Omit<TenantReplicaDocument, 'updatedAt'>, now: Date): Promise<void> {
    await this.model.collection.updateOne(
      { _id: tenant._id } as never,
      { $set: { slug: tenant.slug, name: tenant.name, status: tenant.status, lastEventId: tenant.lastEventId, updatedAt: now } },
      { upsert: true },
    );
    // Slugs can change: forget every cached entry of this tenant, not just the new slug.
    for (const [slug, cached] of this.bySlug) if (cached.tenant._id === tenant._id) this.bySlug.delete(slug);
    this.bySlug.delete(tenant.slug);
  }
}
