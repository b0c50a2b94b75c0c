import type { Caller } from '@messngr/kit/auth';
import { BadUserInputError, DomainError, NotFoundError } from '@messngr/kit/errors';
import type { IdentityDependencies } from '../dependencies';
import type { LoginFlowDocument } from '../persistence/login-flow.model';
import type { SessionDocument } from '../persistence/session.model';
import { beginProviderFlow, type BrowserBinding } from './begin-provider-flow';
import { ownedCodeFlow, presentOwnedCode, startOwnedCodeFlow } from './owned-code-flow';
import { currentSession, markReauthenticated } from './step-up';

export interface StartedReauthentication {
  flowId: string;
  /** Where the code went (masked), for an email or phone identity. */
  destination: string | null;
  /** For a provider identity: send the browser here; the callback completes it. */
  authorizeUrl: string | null;
  browserBinding: BrowserBinding | null;
  expiresAt: Date;
}

/**
 * Begins confirming it is the session's owner again, with any verified identity of the
 * account: a code to an email or phone number (completeReauthentication), or a round trip
 * through the identity's provider (its callback completes it). Afterwards the session counts
 * as freshly authenticated for linking and removing identities.
 */
export async function startReauthentication(
  deps: IdentityDependencies,
  caller: Caller,
  command: { identityId: string; returnTo?: string | null },
): Promise<StartedReauthentication> {
  const { me } = await currentSession(deps, caller);
  const owner = { accountId: me.accountId, sessionId: me.sessionId };
  const account = await deps.accounts.findById(me.tenantId, me.accountId);
  const identity = account?.identities.find((candidate) => candidate.id === command.identityId && candidate.verified);
  if (!identity) throw new NotFoundError('Identity');
  if (identity.kind === 'EMAIL' || identity.kind === 'PHONE') {
    if (!identity.value) throw new NotFoundError('Identity');
    const flow: LoginFlowDocument = await startOwnedCodeFlow(deps, caller, {
      purpose: 'REAUTH',
      owner,
      identifier: { kind: identity.kind, value: identity.value, masked: identity.displayValue },
      locale: account?.preferredLocale ?? null,
    });
    return { flowId: flow._id, destination: flow.masked, authorizeUrl: null, browserBinding: null, expiresAt: flow.expiresAt };
  }
  if (!identity.providerId) throw new NotFoundError('Identity');
  if (!command.returnTo)
    throw new BadUserInputError('returnTo is required to confirm through a provider.', { field: 'returnTo' });
  const begun = await beginProviderFlow(deps, caller, {
    tenantId: me.tenantId,
    providerId: identity.providerId,
    returnTo: command.returnTo,
    purpose: 'REAUTH',
    owner,
    completionSecretHash: null,
  });
  return {
    flowId: begun.flow._id,
    destination: null,
    authorizeUrl: begun.authorizeUrl,
    browserBinding: begun.browserBinding,
    expiresAt: begun.flow.expiresAt,
  };
}

/** The code sent by startReauthentication: the session is freshly authenticated. */
export async function completeReauthentication(
  deps: IdentityDependencies,
  caller: Caller,
  command: { flowId: string; code: string },
): Promise<SessionDocument> {
  const { me } = await currentSession(deps, caller);
  const owner = { accountId: me.accountId, sessionId: me.sessionId };
  if (command.flowId.startsWith('pfl')) {
    throw new DomainError('INVALID_CODE', 'A confirmation through a provider completes at its callback.', 400);
  }
  const flow = await ownedCodeFlow(deps, owner, command.flowId, 'REAUTH');
  await presentOwnedCode(deps, flow, command.code);
  return markReauthenticated(deps, me.tenantId, owner, deps.clock.now());
}
