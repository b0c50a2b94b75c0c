import { requireTenantAdmin, type Caller } from '@messngr/kit/auth';
import { displayTextProblem, newId, normalizeDisplayText, type Clock, type TenantId } from '@messngr/kit/core';
import { BadUserInputError, ConflictError, NotFoundError } from '@messngr/kit/errors';
import type { EventActor } from '@messngr/kit/events';
import { handleFromDisplayName, handleProblem } from '../domain/handle';
import { claimValueOf, type StoredIdentity } from '../domain/identity';
import { accountCreated } from '../events/identity-events-publisher';
import type { AccountDocument } from '../persistence/account.model';
import type { AccountRepository } from '../persistence/account.repository';
import type { IdentityClaimRepository } from '../persistence/identity-claim.repository';
import type { TenantReplicaRepository } from '../persistence/tenant-replica.repository';

export interface CreateAccountCommand {
  tenantId: TenantId;
  displayName: string;
  handle?: string | null;
  roles?: string[];
  preferredLocale?: string | null;
  /** The first identity (a first sign-in's verified address); its value is claimed in the tenant. */
  identity?: StoredIdentity;
}

export interface CreateAccountDeps {
  accounts: AccountRepository;
  claims: IdentityClaimRepository;
  tenants: TenantReplicaRepository;
  clock: Clock;
}

export async function createAccount(
  deps: CreateAccountDeps,
  caller: Caller,
  command: Omit<CreateAccountCommand, 'identity'>,
): Promise<AccountDocument> {
  const admin = requireTenantAdmin(caller, command.tenantId);
  return insertAccount(deps, command, {
    id: admin.accountId,
    type: 'account',
    clientIp: admin.clientIp,
    userAgent: admin.userAgent,
  });
}

/** Thrown when the first identity's value belongs to another account by the time it is claimed. */
export class IdentityAlreadyClaimed extends Error {}

/**
 * The shared path of every account creation: validate, claim the first identity's value,
 * write the account with its event (claiming a free handle), and give the claim back if the
 * account could not be written.
 */
export async function insertAccount(
  deps: CreateAccountDeps,
  command: CreateAccountCommand,
  actor: EventActor,
): Promise<AccountDocument> {
  const tenant = await deps.tenants.findById(command.tenantId);
  if (!tenant) throw new NotFoundError('Tenant');
  if (tenant.status !== 'ACTIVE') throw new ConflictError('TENANT_SUSPENDED', 'The tenant is suspended.');
  const displayName = normalizeDisplayText(command.displayName);
  const nameProblem = displayTextProblem(displayName, { min: 1, max: 80 });
  if (nameProblem) throw new BadUserInputError(`displayName ${nameProblem}.`, { field: 'displayName' });
  const chosenHandle = command.handle?.trim().toLowerCase();
  if (chosenHandle !== undefined) {
    const problem = handleProblem(chosenHandle);
    if (problem) throw new BadUserInputError(`handle ${problem}.`, { field: 'handle' });
  }

  const now = deps.clock.now();
  const accountId = newId('acc', now.getTime());
  const { identity } = command;
  const claimed = identity ? claimValueOf(identity) : null;
  if (identity && claimed && !(await deps.claims.claim(tenant._id, identity.kind, claimed, accountId, now))) {
    throw new IdentityAlreadyClaimed();
  }
  try {
    for (let attempt = 0; attempt < (chosenHandle ? 1 : 5); attempt += 1) {
      const account = {
        _id: accountId,
        tenantId: tenant._id,
        displayName,
        handle: chosenHandle ?? handleFromDisplayName(displayName),
        preferredLocale: command.preferredLocale ?? null,
        timeZone: null,
        status: 'ACTIVE' as const,
        roles: command.roles ?? [],
        identities: identity ? [identity] : [],
        createdAt: now,
        updatedAt: now,
      };
      const result = await deps.accounts.create(account, [accountCreated(account, actor, now)]);
      if (result !== 'handle-taken') return result;
    }
  } catch (error) {
    if (identity && claimed) await deps.claims.release(tenant._id, identity.kind, claimed, accountId);
    throw error;
  }
  if (identity && claimed) await deps.claims.release(tenant._id, identity.kind, claimed, accountId);
  throw new ConflictError('HANDLE_TAKEN', 'That handle is already taken in this tenant.');
}
