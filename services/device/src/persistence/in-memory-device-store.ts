import type { EventEnvelope } from '@messngr/contracts';
import type { PlatformAdmin } from '@messngr/kit/auth';
import type { TenantId } from '@messngr/kit/core';
import { outboxFields, withSequence, type CrossTenantReads, type Decision, type NewAggregate } from '@messngr/kit/mongo';
import type { DeviceDocument } from './device.model';
import { MAX_LISTED_DEVICES, type DeviceRepository } from './device.repository';

/**
 * For unit tests: the device store's contract in memory (scoped by tenant, duplicate ids
 * refused like E11000, read-decide-write with the events stamped and kept pending in the
 * document's outbox, "no change" writes nothing). `published` is every event written, in order.
 */
export class InMemoryDeviceStore implements Pick<
  DeviceRepository,
  'insert' | 'change' | 'findById' | 'ofAccount' | 'boundToSession' | 'byIds' | 'acrossTenants'
> {
  readonly documents = new Map<string, DeviceDocument>();
  readonly published: EventEnvelope[] = [];

  constructor(private readonly now: () => Date = () => new Date()) {}

  async insert(device: NewAggregate<DeviceDocument>, events: EventEnvelope[]): Promise<DeviceDocument> {
    if (this.documents.has(device._id)) throw Object.assign(new Error('E11000 duplicate key error'), { code: 11000 });
    const stamped = withSequence(events, 1);
    const stored: DeviceDocument = { ...device, version: 1, ...outboxFields(stamped, null, this.now()) };
    this.documents.set(device._id, stored);
    this.published.push(...stamped);
    return structuredClone(stored);
  }

  async change(
    tenantId: TenantId,
    id: string,
    decide: (current: DeviceDocument) => Decision<DeviceDocument>,
  ): Promise<DeviceDocument | undefined> {
    const current = this.documents.get(id);
    if (!current || current.tenantId !== tenantId) return undefined;
    const decision = decide(structuredClone(current));
    if (!decision) return structuredClone(current);
    const version = current.version + 1;
    const stamped = withSequence(decision.events, version);
    const next: DeviceDocument = {
      ...current,
      ...decision.changes,
      version,
      ...outboxFields([...current.pendingEvents, ...stamped], current.outboxSince, this.now()),
    };
    this.documents.set(id, next);
    this.published.push(...stamped);
    return structuredClone(next);
  }

  async findById(tenantId: TenantId, id: string): Promise<DeviceDocument | null> {
    const found = this.documents.get(id);
    return found && found.tenantId === tenantId ? structuredClone(found) : null;
  }

  async ofAccount(
    tenantId: TenantId,
    accountId: string,
    { includeRevoked }: { includeRevoked: boolean },
  ): Promise<DeviceDocument[]> {
    return this.where(
      (device) => device.tenantId === tenantId && device.accountId === accountId && (includeRevoked || !device.revokedAt),
    )
      .sort((a, b) => (a._id < b._id ? 1 : -1))
      .slice(0, MAX_LISTED_DEVICES);
  }

  acrossTenants(_admin: PlatformAdmin): CrossTenantReads<DeviceDocument> {
    return { findById: async (id) => structuredClone(this.documents.get(id) ?? null) };
  }

  async byIds(tenantId: TenantId, ids: readonly string[]): Promise<DeviceDocument[]> {
    return this.where((device) => device.tenantId === tenantId && ids.includes(device._id));
  }

  async boundToSession(tenantId: TenantId, sessionId: string): Promise<DeviceDocument[]> {
    return this.where((device) => device.tenantId === tenantId && device.sessionId === sessionId);
  }

  private where(predicate: (device: DeviceDocument) => boolean): DeviceDocument[] {
    return [...this.documents.values()].filter(predicate).map((device) => structuredClone(device));
  }
}
