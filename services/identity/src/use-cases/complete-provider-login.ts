import type { Caller } from '@messngr/kit/auth';
import { ConflictError, DomainError, NotFoundError } from '@messngr/kit/errors';
import { isExpired } from '../domain/provider-flow';
import type { ProviderLoginDependencies } from '../dependencies';
import { countedSignIn } from '../identity-metrics';
import { beginSession, checkDeviceAtSignIn, type DeviceAtSignIn, type SignedIn } from './begin-session';
import { sameSecret, secretHash } from '../domain/flow-secrets';
import type { StoredIdentity } from '../domain/identity';
import type { AccountDocument } from '../persistence/account.model';
import type { ProviderFlowDocument } from '../persistence/provider-flow.model';

export interface CompleteProviderLoginCommand {
  flowId: string;
  completionSecret: string;
  device?: DeviceAtSignIn | null;
  clientId?: string | null;
}

const NO_SUCH_FLOW = () => new NotFoundError('Sign-in flow');

/**
 * Trades a flow the provider's callback authenticated for a session, once, by the client that
 * started it (it alone holds the completion secret; the flow id alone travelled in URLs).
 */
export function completeProviderLogin(
  deps: ProviderLoginDependencies,
  caller: Caller,
  command: CompleteProviderLoginCommand,
): Promise<SignedIn> {
  return countedSignIn(deps.metrics, 'PROVIDER', () => signInWithProviderFlow(deps, caller, command));
}

async function signInWithProviderFlow(
  deps: ProviderLoginDependencies,
  caller: Caller,
  command: CompleteProviderLoginCommand,
): Promise<SignedIn> {
  const device = checkDeviceAtSignIn(command.device);
  const now = deps.clock.now();
  const known = await deps.providerFlows.findById(command.flowId);
  if (!known || known.purpose !== 'SIGN_IN' || !known.completionSecretHash) throw NO_SUCH_FLOW();
  if (!sameSecret(secretHash(command.completionSecret), known.completionSecretHash)) throw NO_SUCH_FLOW();
  if (isExpired(known, now)) throw new DomainError('FLOW_EXPIRED', 'The sign-in expired; start again.');
  if (known.state === 'FAILED')
    throw new DomainError(known.failure ?? 'INVALID_STATE', 'The sign-in failed at the provider; start again.');
  if (known.state === 'STARTED')
    throw new DomainError('PROVIDER_FLOW_PENDING', 'The sign-in has not come back from the provider yet.');

  const { account, identity, accountCreated } = await claimAuthenticatedFlow(deps, known, now);
  return {
    ...(await beginSession(deps, caller, { account, identity, device, clientId: command.clientId, now })),
    accountCreated,
  };
}

/**
 * Takes a flow the provider's callback authenticated, once (of two concurrent claims one
 * wins): the account it signed in, active in an active tenant, with the identity used (its
 * last use now). For every door that finishes an upstream sign-in: GraphQL and the hosted pages.
 */
export async function claimAuthenticatedFlow(
  deps: ProviderLoginDependencies,
  known: ProviderFlowDocument,
  now: Date,
): Promise<{ account: AccountDocument; identity: StoredIdentity; accountCreated: boolean }> {
  let won = false;
  const flow = await deps.providerFlows.change(known._id, (current) => {
    // Decided again on every retry: only the attempt that writes wins.
    won = current.state === 'AUTHENTICATED';
    if (!won) return undefined;
    return { changes: { state: 'COMPLETED' }, events: [] };
  });
  if (!flow || !won || !flow.outcome) throw new DomainError('INVALID_STATE', 'The sign-in was completed already.');

  const tenant = await deps.tenants.findCached(flow.tenantId);
  if (!tenant || tenant.status !== 'ACTIVE') throw new ConflictError('TENANT_SUSPENDED', 'The tenant is suspended.');
  const account = await deps.accounts.findById(flow.tenantId, flow.outcome.accountId);
  if (!account) throw NO_SUCH_FLOW();
  if (account.status !== 'ACTIVE') throw new ConflictError('ACCOUNT_DISABLED', 'The account is disabled.');
  const identityId = flow.outcome.identityId;
  const updated = await deps.accounts.change(account.tenantId, account._id, (current) => ({
    changes: {
      identities: current.identities.map((identity) =>
        identity.id === identityId ? { ...identity, lastUsedAt: now } : identity,
      ),
    },
    events: [],
  }));
  const signedInWith = (updated ?? account).identities.find((identity) => identity.id === identityId);
  // Revoked between callback and completion: nothing to sign in with any more.
  if (!signedInWith) throw new DomainError('INVALID_STATE', 'The identity is no longer linked to the account.');
  return { account: updated ?? account, identity: signedInWith, accountCreated: flow.outcome.accountCreated };
}
