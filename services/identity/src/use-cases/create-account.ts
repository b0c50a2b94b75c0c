import { requireTenantAdmin, type Caller } from '@messngr/kit/auth';
import type { ActorType } from '@messngr/contracts';
import { displayTextProblem, newId, normalizeDisplayText, type Clock, type TenantId } from '@messngr/kit/core';
import { BadUserInputError, ConflictError, NotFoundError } from '@messngr/kit/errors';
import { handleFromDisplayName, handleProblem } from '../domain/handle';
import { accountCreated } from '../events/identity-events-publisher';
import type { AccountDocument } from '../persistence/account.model';
import type { AccountRepository } from '../persistence/account.repository';
import type { TenantReplicaRepository } from '../persistence/tenant-replica.repository';

export interface CreateAccountCommand {
  tenantId: TenantId;
  displayName: string;
  handle?: string | null;
  roles?: string[];
}

export interface CreateAccountDeps {
  accounts: AccountRepository;
  tenants: TenantReplicaRepository;
  clock: Clock;
}

export async function createAccount(
  deps: CreateAccountDeps,
  caller: Caller,
  command: CreateAccountCommand,
): Promise<AccountDocument> {
  const admin = requireTenantAdmin(caller, command.tenantId);
  return insertAccount(deps, command, { id: admin.accountId, type: 'account' });
}

/** The shared path of every account creation: validate, claim the handle, write with its event. */
export async function insertAccount(
  deps: CreateAccountDeps,
  command: CreateAccountCommand,
  actor: { id?: string; type: ActorType },
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
  for (let attempt = 0; attempt < (chosenHandle ? 1 : 5); attempt += 1) {
    const account = {
      _id: newId('acc', now.getTime()),
      tenantId: tenant._id,
      displayName,
      handle: chosenHandle ?? handleFromDisplayName(displayName),
      status: 'ACTIVE' as const,
      roles: command.roles ?? [],
      createdAt: now,
      updatedAt: now,
    };
    const result = await deps.accounts.create(account, [accountCreated(account, actor, now)]);
    if (result !== 'handle-taken') return result;
  }
  throw new ConflictError('HANDLE_TAKEN', 'That handle is already taken in this tenant.');
}
