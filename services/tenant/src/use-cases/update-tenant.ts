import { requireTenantAdmin, type Caller } from '@messngr/kit/auth';
import { BadUserInputError, ConflictError, NotFoundError } from '@messngr/kit/errors';
import { isDuplicateKeyError } from '@messngr/kit/mongo';
import { checkedMetadata } from '../domain/metadata';
import { checkedTenantName } from '../domain/tenant-name';
import { applySessionSettings, type SessionSettingsChanges } from '../domain/session-settings';
import { slugProblem } from '../domain/slug';
import { checkedLocales, checkedTimeZone } from '../domain/tenant-locales';
import { fieldChanges, tenantUpdated } from '../events/tenant-events-publisher';
import type { TenantDocument } from '../persistence/tenant.model';
import type { TenantDependencies } from '../dependencies';
import type { TenantId } from '@messngr/kit/core';

export interface UpdateTenantCommand {
  id: TenantId;
  name?: string | null;
  slug?: string | null;
  locales?: string[] | null;
  defaultLocale?: string | null;
  defaultTimezone?: string | null;
  session?: SessionSettingsChanges | null;
  metadata?: unknown;
}

export async function updateTenant(
  deps: Pick<TenantDependencies, 'tenants' | 'clock'>,
  caller: Caller,
  command: UpdateTenantCommand,
): Promise<TenantDocument> {
  const admin = requireTenantAdmin(caller, command.id);
  try {
    const updated = await deps.tenants.change(command.id, (tenant) => {
      const next = {
        name: tenant.name,
        slug: tenant.slug,
        locales: tenant.locales,
        defaultLocale: tenant.defaultLocale,
        defaultTimezone: tenant.defaultTimezone,
        session: tenant.session,
        metadata: tenant.metadata,
      };
      if (command.name != null) {
        next.name = checkedTenantName(command.name);
      }
      if (command.slug != null) {
        next.slug = command.slug.trim();
        const problem = next.slug === tenant.slug ? undefined : slugProblem(next.slug);
        if (problem) throw new BadUserInputError(`slug ${problem}.`, { field: 'slug' });
      }
      if (command.locales != null || command.defaultLocale != null) {
        Object.assign(
          next,
          checkedLocales(
            command.locales ?? tenant.locales,
            command.defaultLocale ?? (command.locales ? null : tenant.defaultLocale),
          ),
        );
      }
      if (command.defaultTimezone != null) next.defaultTimezone = checkedTimeZone(command.defaultTimezone);
      if (command.session != null) next.session = applySessionSettings(tenant.session, command.session);
      if (command.metadata != null) next.metadata = checkedMetadata(command.metadata);
      const changes = fieldChanges(tenant, next);
      if (Object.keys(changes).length === 0) return undefined;
      const now = deps.clock.now();
      return { changes: { ...next, updatedAt: now }, events: [tenantUpdated({ ...tenant, ...next }, changes, admin, now)] };
    });
    if (!updated) throw new NotFoundError('Tenant');
    return updated;
  } catch (error) {
    if (isDuplicateKeyError(error)) throw new ConflictError('SLUG_TAKEN', 'That slug is already taken.');
    throw error;
  }
}
