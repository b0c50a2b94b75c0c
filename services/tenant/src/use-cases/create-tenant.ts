import {
  BadUserInputError,
  ConflictError,
  displayTextProblem,
  newId,
  normalizeDisplayText,
  requirePlatformAdmin,
  type Caller,
  type Clock,
} from '@messngr/kit';
import { slugCandidate, slugFromName, slugProblem } from '../domain/slug';
import { tenantCreated } from '../events/tenant-events';
import type { TenantDocument } from '../persistence/tenant.model';
import type { TenantRepository } from '../persistence/tenant.repository';

export interface CreateTenantCommand {
  name: string;
  slug?: string | null;
}

const MAX_DERIVED_SLUG_ATTEMPTS = 20;

export async function createTenant(
  deps: { tenants: TenantRepository; clock: Clock },
  caller: Caller,
  command: CreateTenantCommand,
): Promise<TenantDocument> {
  const admin = requirePlatformAdmin(caller);
  const name = normalizeDisplayText(command.name);
  const nameProblem = displayTextProblem(name, { min: 2, max: 100 });
  if (nameProblem) throw new BadUserInputError(`name ${nameProblem}.`, { field: 'name' });

  const chosenSlug = command.slug?.trim();
  if (chosenSlug !== undefined) {
    const problem = slugProblem(chosenSlug);
    if (problem) throw new BadUserInputError(`slug ${problem}.`, { field: 'slug' });
  }

  const now = deps.clock.now();
  const base = chosenSlug ?? slugFromName(name);
  const attempts = chosenSlug ? 1 : MAX_DERIVED_SLUG_ATTEMPTS;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const slug = slugCandidate(base, attempt);
    if (!chosenSlug && slugProblem(slug)) continue;
    const tenant = { _id: newId('ten', now.getTime()), name, slug, status: 'ACTIVE' as const, createdAt: now, updatedAt: now };
    const result = await deps.tenants.insert(tenant, [tenantCreated(tenant, admin.accountId, now)]);
    if (result === 'id-taken') continue;
    if (result !== 'slug-taken') return result;
  }
  throw new ConflictError(
    'SLUG_TAKEN',
    chosenSlug ? 'That slug is already taken.' : 'No free slug could be derived from that name; choose one.',
  );
}
