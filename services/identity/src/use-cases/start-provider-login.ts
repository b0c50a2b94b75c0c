import { randomBytes } from 'node:crypto';
import type { Caller } from '@messngr/kit/auth';
import type { TenantId } from '@messngr/kit/core';
import type { ProviderLoginDependencies } from '../dependencies';
import { secretHash } from '../domain/flow-secrets';
import { beginProviderFlow, type BegunProviderFlow } from './begin-provider-flow';

export interface StartProviderLoginCommand {
  tenantId: TenantId;
  providerId: string;
  returnTo: string;
}

export interface StartedProviderLogin extends BegunProviderFlow {
  /** Shown once, to the client that started the flow: completeProviderLogin needs it (it is never in a URL). */
  completionSecret: string;
}

/** Begins a sign-in through one of the tenant's upstream providers (see beginProviderFlow). */
export async function startProviderLogin(
  deps: ProviderLoginDependencies,
  caller: Caller,
  command: StartProviderLoginCommand,
): Promise<StartedProviderLogin> {
  const completionSecret = randomBytes(32).toString('base64url');
  const begun = await beginProviderFlow(deps, caller, {
    ...command,
    purpose: 'SIGN_IN',
    owner: null,
    completionSecretHash: secretHash(completionSecret),
  });
  return { ...begun, completionSecret };
}
