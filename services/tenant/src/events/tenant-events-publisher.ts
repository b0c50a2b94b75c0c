import {
  IdentityProviderDisabled,
  IdentityProviderEnabled,
  IdentityProviderRegistered,
  IdentityProviderRemoved,
  IdentityProviderUpdated,
  TenantCreated,
  TenantDefaultProviderChanged,
  TenantPolicyUpdated,
  TenantReactivated,
  TenantSuspended,
  TenantUpdated,
  type EventEnvelope,
} from '@messngr/contracts';
import type { Caller } from '@messngr/kit/auth';
import { PLATFORM_TENANT, type TenantId } from '@messngr/kit/core';
import { createEvent } from '@messngr/kit/events';
import { providerEventView, type StoredIdentityProvider } from '../domain/identity-provider';
import type { TenantPolicy } from '../domain/tenant-policy';
import type { TenantDocument } from '../persistence/tenant.model';
import { providerEventConnection, type ProviderSecretBoxes } from './provider-event-connection';

export type FieldChanges = Record<string, { before: unknown; after: unknown } | { changed: true }>;

type TenantState = Pick<TenantDocument, '_id' | 'name' | 'slug' | 'status' | 'session'>;

function actorOf(actor: Caller | undefined) {
  return actor?.accountId ? { id: actor.accountId, type: 'account' as const } : { type: 'system' as const };
}

function stateOf(tenant: TenantState) {
  const { sessionTtlSeconds, refreshTokenAbsoluteLifetimeSeconds, cookieName, cookieDomain } = tenant.session;
  return {
    id: tenant._id,
    name: tenant.name,
    slug: tenant.slug,
    status: tenant.status,
    sessionLifetimes: { sessionTtlSeconds, refreshTokenAbsoluteLifetimeSeconds },
    sessionCookie: { name: cookieName, domain: cookieDomain },
  };
}

export function tenantCreated(tenant: TenantState & Pick<TenantDocument, 'policy'>, actor: Caller | undefined, time: Date) {
  return createEvent(TenantCreated, {
    subject: tenant._id,
    tenantId: tenant._id,
    actor: actorOf(actor),
    time,
    data: { tenant: stateOf(tenant), policy: tenant.policy },
  });
}

/** Carries the tenant's current name and slug so consumers' copies stay current. */
export function tenantUpdated(tenant: TenantState, changes: FieldChanges, actor: Caller, time: Date) {
  return createEvent(TenantUpdated, {
    subject: tenant._id,
    tenantId: tenant._id,
    actor: actorOf(actor),
    time,
    data: { tenant: stateOf(tenant), changes },
  });
}

export function tenantSuspended(tenant: Omit<TenantState, 'status'>, reason: string, actor: Caller, time: Date) {
  return createEvent(TenantSuspended, {
    subject: tenant._id,
    tenantId: tenant._id,
    actor: actorOf(actor),
    time,
    data: { tenant: stateOf({ ...tenant, status: 'SUSPENDED' }), reason },
  });
}

export function tenantReactivated(tenant: Omit<TenantState, 'status'>, actor: Caller, time: Date) {
  return createEvent(TenantReactivated, {
    subject: tenant._id,
    tenantId: tenant._id,
    actor: actorOf(actor),
    time,
    data: { tenant: stateOf({ ...tenant, status: 'ACTIVE' }) },
  });
}

export function policyUpdated(tenantId: TenantId, changes: FieldChanges, policy: TenantPolicy, actor: Caller, time: Date) {
  return createEvent(TenantPolicyUpdated, {
    subject: tenantId,
    tenantId,
    actor: actorOf(actor),
    time,
    data: { tenant: { id: tenantId }, changes, policy },
  });
}

export function defaultProviderChanged(tenantId: TenantId, before: string, after: string, actor: Caller, time: Date) {
  return createEvent(TenantDefaultProviderChanged, {
    subject: tenantId,
    tenantId,
    actor: actorOf(actor),
    time,
    data: { tenant: { id: tenantId }, before, after },
  });
}

const PROVIDER_EVENTS = {
  registered: IdentityProviderRegistered,
  enabled: IdentityProviderEnabled,
  disabled: IdentityProviderDisabled,
  removed: IdentityProviderRemoved,
} as const;

/**
 * A tenant's provider lives in the tenant's document, so its events are the tenant's. A
 * shared definition's events belong to the platform tenant (subject and key), as published
 * from the start; `data.identityProvider.id` names the definition, whose own history their
 * `sequence` orders.
 */
function providerEventScope(tenantId: TenantId | null) {
  const owner = tenantId ?? PLATFORM_TENANT.id;
  return { subject: owner, tenantId: owner };
}

/** The public view, and how the identity subgraph reaches the provider (its client secret sealed for it alone). */
function providerEventData(provider: StoredIdentityProvider, tenantId: TenantId | null, boxes: ProviderSecretBoxes) {
  return { identityProvider: providerEventView(provider, tenantId), connection: providerEventConnection(provider, boxes) };
}

/** `actor` undefined: the system (shared definitions seeded at start-up). */
export function identityProviderEvent(
  verb: keyof typeof PROVIDER_EVENTS,
  provider: StoredIdentityProvider,
  tenantId: TenantId | null,
  actor: Caller | undefined,
  time: Date,
  boxes: ProviderSecretBoxes,
): EventEnvelope {
  return createEvent(PROVIDER_EVENTS[verb], {
    ...providerEventScope(tenantId),
    actor: actorOf(actor),
    time,
    data: providerEventData(provider, tenantId, boxes),
  });
}

export function identityProviderUpdated(
  provider: StoredIdentityProvider,
  tenantId: TenantId | null,
  actor: Caller,
  time: Date,
  changes: FieldChanges,
  boxes: ProviderSecretBoxes,
): EventEnvelope {
  return createEvent(IdentityProviderUpdated, {
    ...providerEventScope(tenantId),
    actor: actorOf(actor),
    time,
    data: { ...providerEventData(provider, tenantId, boxes), changes },
  });
}

/**
 * Field-by-field before/after of what differs; `secretFields` are reported only as changed. A
 * field absent before (stored before it existed) and null after is no change.
 */
export function fieldChanges<Fields extends object>(before: Fields, after: Fields, secretFields: string[] = []): FieldChanges {
  const changes: FieldChanges = {};
  const previous: Partial<Record<string, unknown>> = before;
  for (const [key, value] of Object.entries(after)) {
    if (JSON.stringify(previous[key] ?? null) === JSON.stringify(value ?? null)) continue;
    changes[key] = secretFields.includes(key) ? { changed: true } : { before: previous[key] ?? null, after: value ?? null };
  }
  return changes;
}
