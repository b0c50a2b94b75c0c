import { z } from 'zod';
import { defineEvent } from '../event-contract';
import {
  fieldChangesSchema,
  identityProviderSchema,
  providerConnectionSchema,
  tenantPolicySchema,
  tenantReferenceSchema,
  tenantStateSchema,
} from './shared-schemas';

const TENANT_REPLICAS = ['identity', 'audit'] as const;

export const TenantCreated = defineEvent({
  type: 'tenant.tenant.created',
  producer: 'tenant',
  version: 1,
  key: 'subject',
  summary: 'A tenant was created. `data.policy` is its sign-in policy from the start (absent in events published before it was carried).',
  data: z.object({ tenant: tenantStateSchema, policy: tenantPolicySchema.optional() }),
  consumers: TENANT_REPLICAS,
});

export const TenantUpdated = defineEvent({
  type: 'tenant.tenant.updated',
  producer: 'tenant',
  version: 1,
  key: 'subject',
  summary:
    "A tenant's name, slug, locales, time zone, session settings or metadata changed. `data.tenant` is the tenant now; `data.changes` maps each changed field to {before, after}.",
  data: z.object({ tenant: tenantStateSchema, changes: fieldChangesSchema }),
  consumers: TENANT_REPLICAS,
});

export const TenantSuspended = defineEvent({
  type: 'tenant.tenant.suspended',
  producer: 'tenant',
  version: 1,
  key: 'subject',
  summary: "A tenant was suspended; its users can no longer sign in, and its tokens are refused from the next request on. `data.reason` says why.",
  data: z.object({ tenant: tenantStateSchema, reason: z.string() }),
  consumers: [...TENANT_REPLICAS, 'gateway'],
});

export const TenantReactivated = defineEvent({
  type: 'tenant.tenant.reactivated',
  producer: 'tenant',
  version: 1,
  key: 'subject',
  summary: "A tenant's suspension was lifted.",
  data: z.object({ tenant: tenantStateSchema }),
  consumers: [...TENANT_REPLICAS, 'gateway'],
});

export const TenantPolicyUpdated = defineEvent({
  type: 'tenant.tenant.policy_updated',
  producer: 'tenant',
  version: 1,
  key: 'subject',
  summary: "A tenant's sign-in policy changed. `data.changes` as for updates; `data.policy` is the whole policy now.",
  data: z.object({ tenant: tenantReferenceSchema, changes: fieldChangesSchema, policy: tenantPolicySchema }),
  consumers: TENANT_REPLICAS,
});

export const TenantDefaultProviderChanged = defineEvent({
  type: 'tenant.tenant.default_provider_changed',
  producer: 'tenant',
  version: 1,
  key: 'subject',
  summary: "Another provider became the tenant's default. `data.before` and `data.after` are provider ids.",
  data: z.object({ tenant: tenantReferenceSchema, before: z.string().min(1), after: z.string().min(1) }),
  consumers: ['audit'],
});

const providerData = z.object({
  identityProvider: identityProviderSchema,
  /**
   * How to reach it as a relying party: null for NATIVE providers; absent in events published
   * before upstream sign-in. The client secret in it is sealed for the identity subgraph.
   */
  connection: providerConnectionSchema.nullable().optional(),
});
const providerSummary = (what: string) =>
  `${what} \`data.identityProvider\` describes it (tenantId null for shared definitions, whose events carry the platform tenant's id); \`data.connection\` says how the identity subgraph reaches it, its client secret sealed (never in the clear).`;

export const IdentityProviderRegistered = defineEvent({
  type: 'tenant.identity_provider.registered',
  producer: 'tenant',
  version: 1,
  key: 'subject',
  summary: providerSummary('An identity provider was registered for a tenant, or as a shared definition.'),
  data: providerData,
  consumers: TENANT_REPLICAS,
});

export const IdentityProviderUpdated = defineEvent({
  type: 'tenant.identity_provider.updated',
  producer: 'tenant',
  version: 1,
  key: 'subject',
  summary: providerSummary(
    "An identity provider's settings changed; `data.changes` lists them (a changed client secret only as {changed: true}).",
  ),
  data: providerData.extend({ changes: fieldChangesSchema }),
  consumers: TENANT_REPLICAS,
});

export const IdentityProviderEnabled = defineEvent({
  type: 'tenant.identity_provider.enabled',
  producer: 'tenant',
  version: 1,
  key: 'subject',
  summary: providerSummary('An identity provider was enabled.'),
  data: providerData,
  consumers: TENANT_REPLICAS,
});

export const IdentityProviderDisabled = defineEvent({
  type: 'tenant.identity_provider.disabled',
  producer: 'tenant',
  version: 1,
  key: 'subject',
  summary: providerSummary('An identity provider was disabled.'),
  data: providerData,
  consumers: TENANT_REPLICAS,
});

export const IdentityProviderRemoved = defineEvent({
  type: 'tenant.identity_provider.removed',
  producer: 'tenant',
  version: 1,
  key: 'subject',
  summary: providerSummary('An identity provider was removed.'),
  data: providerData,
  consumers: TENANT_REPLICAS,
});
