import { requirePlatformAdmin, type Caller } from '@messngr/kit/auth';
import { asTenantId, newId, type Clock } from '@messngr/kit/core';
import { BadUserInputError, ConflictError } from '@messngr/kit/errors';
import { nativeProvider } from '../domain/identity-provider';
import { checkedMetadata } from '../domain/metadata';
import { checkedTenantName } from '../domain/tenant-name';
import { applySessionSettings, DEFAULT_SESSION_SETTINGS, type SessionSettingsChanges } from '../domain/session-settings';
import { slugCandidate, slugFromName, slugProblem } from '../domain/slug';
import { checkedLocales, checkedTimeZone } from '../domain/tenant-locales';
import { DEFAULT_TENANT_POLICY } from '../domain/tenant-policy';
import { tenantCreated } from '../events/tenant-events-publisher';
import type { TenantDocument } from '../persistence/tenant.model';
import type { TenantRepository } from '../persistence/tenant.repository';

export interface CreateTenantCommand {
  name: string;
  slug?: string | null;
  locales?: string[] | null;
  defaultLocale?: string | null;
  defaultTimezone?: string | null;
  session?: SessionSettingsChanges | null;
  metadata?: unknown;
}

const MAX_DERIVED_SLUG_ATTEMPTS = 20;

/** A new tenant starts with one NATIVE provider, which is its default. */
export async function createTenant(
  deps: { tenants: TenantRepository; clock: Clock },
  caller: Caller,
  command: CreateTenantCommand,
): Promise<TenantDocument> {
  const admin = requirePlatformAdmin(caller);
  const name = checkedTenantName(command.name);
  const chosenSlug = command.slug?.trim();
  if (chosenSlug !== undefined) {
    const problem = slugProblem(chosenSlug);
    if (problem) throw new BadUserInputError(`slug ${problem}.`, { field: 'slug' });
  }
  const { locales, defaultLocale } = checkedLocales(command.locales ?? ['en'], command.defaultLocale);
  const defaultTimezone = checkedTimeZone(command.defaultTimezone ?? 'UTC');
  const session = applySessionSettings(DEFAULT_SESSION_SETTINGS, command.session);
  const metadata = command.metadata == null ? {} : checkedMetadata(command.metadata);

  const now = deps.clock.now();
  const base = chosenSlug ?? slugFromName(name);
  for (let attempt = 0; attempt < (chosenSlug ? 1 : MAX_DERIVED_SLUG_ATTEMPTS); attempt += 1) {
    const slug = slugCandidate(base, attempt);
    if (!chosenSlug && slugProblem(slug)) continue;
    const native = nativeProvider(newId('idp', now.getTime()), now);
    const tenant = {
      _id: asTenantId(newId('ten', now.getTime())),
      name,
      slug,
      status: 'ACTIVE' as const,
      suspensionReason: null,
      locales,
      defaultLocale,
      defaultTimezone,
      session,
      policy: DEFAULT_TENANT_POLICY,
      metadata,
      identityProviders: [native],
      defaultProviderId: native.id,
      createdAt: now,
      updatedAt: now,
    };
    const result = await deps.tenants.create(tenant, [tenantCreated(tenant, admin, now)]);
    if (result === 'id-taken') continue;
    if (result !== 'slug-taken') return result;
  }
  throw new ConflictError(
    'SLUG_TAKEN',
    chosenSlug ? 'That slug is already taken.' : 'No free slug could be derived from that name; choose one.',
  );
}
