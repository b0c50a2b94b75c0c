import type { Caller } from '@messngr/kit/auth';
import { BadUserInputError, DomainError, NotFoundError } from '@messngr/kit/errors';
import { verifiedIdentity, type StoredIdentity } from '../domain/identity';
import { isFlowExpired } from '../domain/login-flow';
import { isExpired } from '../domain/provider-flow';
import { canonicalLocale } from '../domain/profile-fields';
import { policyOf } from '../domain/tenant-rules';
import type { IdentityDependencies } from '../dependencies';
import type { FlowOwner, LoginFlowDocument } from '../persistence/login-flow.model';
import type { ProviderFlowDocument } from '../persistence/provider-flow.model';
import { beginProviderFlow, type BrowserBinding } from './begin-provider-flow';
import { linkIdentity } from './link-identity';
import { loginIdentifier } from './login-identifier';
import { isOwner, ownedCodeFlow, presentOwnedCode, startOwnedCodeFlow } from './owned-code-flow';
import { currentSession, requireRecentAuthentication } from './step-up';

export type LinkMethod = 'EMAIL' | 'PHONE' | 'PROVIDER';
export type LinkFlowState = 'CODE_SENT' | 'WAITING_FOR_PROVIDER' | 'LINKED' | 'FAILED' | 'CANCELLED';

/** What a client sees of a link flow, whichever kind: never a code, a hash, state or verifier. */
export interface IdentityLinkFlowView {
  id: string;
  method: LinkMethod;
  state: LinkFlowState;
  destination: string | null;
  providerId: string | null;
  failure: string | null;
  linkedIdentityId: string | null;
  expiresAt: Date;
}

export interface StartIdentityLinkCommand {
  method: LinkMethod;
  email?: string | null;
  phone?: string | null;
  providerId?: string | null;
  returnTo?: string | null;
  locale?: string | null;
}

export interface StartedIdentityLink {
  flow: IdentityLinkFlowView;
  authorizeUrl: string | null;
  browserBinding: BrowserBinding | null;
}

/**
 * Begins adding an identity to the signed-in account (a recent sign-in required): a code sent
 * to an email or phone number (same rules as sign-in codes), or a round trip through one of
 * the tenant's providers. A value already linked anywhere is refused when the link completes.
 */
export async function startIdentityLink(
  deps: IdentityDependencies,
  caller: Caller,
  command: StartIdentityLinkCommand,
): Promise<StartedIdentityLink> {
  try {
    const started = await beginIdentityLink(deps, caller, command);
    deps.metrics.linkAttempt(command.method, 'STARTED');
    return started;
  } catch (error) {
    deps.metrics.linkAttempt(command.method, error instanceof DomainError ? error.code : 'ERROR');
    throw error;
  }
}

async function beginIdentityLink(
  deps: IdentityDependencies,
  caller: Caller,
  command: StartIdentityLinkCommand,
): Promise<StartedIdentityLink> {
  // A recovery session is there to link a new identity.
  const { me } = await requireRecentAuthentication(deps, caller, { allowRestricted: true });
  const owner = { accountId: me.accountId, sessionId: me.sessionId };
  if (command.method === 'PROVIDER') {
    if (!command.providerId) throw new BadUserInputError('providerId is required to link a provider.', { field: 'providerId' });
    if (!command.returnTo) throw new BadUserInputError('returnTo is required to link a provider.', { field: 'returnTo' });
    const begun = await beginProviderFlow(deps, caller, {
      tenantId: me.tenantId,
      providerId: command.providerId,
      returnTo: command.returnTo,
      purpose: 'LINK',
      owner,
      completionSecretHash: null,
    });
    return {
      flow: providerLinkView(begun.flow, deps.clock.now()),
      authorizeUrl: begun.authorizeUrl,
      browserBinding: begun.browserBinding,
    };
  }
  const tenant = await deps.tenants.findCached(me.tenantId);
  if (!tenant) throw new NotFoundError('Tenant');
  const identifier = loginIdentifier(
    command.method === 'EMAIL' ? { email: command.email ?? '' } : { phone: command.phone ?? '' },
    policyOf(tenant),
  );
  const flow = await startOwnedCodeFlow(deps, caller, {
    purpose: 'LINK',
    owner,
    identifier,
    locale: (command.locale && canonicalLocale(command.locale)) ?? null,
  });
  return { flow: codeLinkView(flow, deps.clock.now()), authorizeUrl: null, browserBinding: null };
}

/** The code that was sent, presented by the owner: the address is linked, verified. */
export async function verifyIdentityLinkCode(
  deps: IdentityDependencies,
  caller: Caller,
  command: { flowId: string; code: string },
): Promise<{ flow: IdentityLinkFlowView; identity: StoredIdentity }> {
  const { me } = await currentSession(deps, caller, { allowRestricted: true });
  const owner = { accountId: me.accountId, sessionId: me.sessionId };
  const known = await ownedCodeFlow(deps, owner, command.flowId, 'LINK');
  const accepted = await presentOwnedCode(deps, known, command.code).catch((error: unknown) => {
    deps.metrics.linkAttempt(known.channel, error instanceof DomainError ? error.code : 'ERROR');
    throw error;
  });
  const now = deps.clock.now();
  const identity = verifiedIdentity({ kind: accepted.channel, value: accepted.identifier, displayValue: accepted.masked }, now);
  const actor = { id: me.accountId, type: 'account' as const, clientIp: caller.clientIp, userAgent: caller.userAgent };
  try {
    await linkIdentity(deps, { tenantId: me.tenantId, accountId: me.accountId }, identity, 'CODE', actor);
  } catch (error) {
    if (error instanceof DomainError) {
      await deps.loginFlows.change(accepted._id, () => ({ changes: { state: 'FAILED', failure: error.code }, events: [] }));
    }
    deps.metrics.linkAttempt(accepted.channel, error instanceof DomainError ? error.code : 'ERROR');
    throw error;
  }
  deps.metrics.linkAttempt(accepted.channel, 'LINKED');
  deps.metrics.linkVerified(accepted.channel, accepted.issuedAt, now);
  const linked = await deps.loginFlows.change(accepted._id, () => ({ changes: { linkedIdentityId: identity.id }, events: [] }));
  return { flow: codeLinkView(linked ?? accepted, now), identity };
}

/** The owner gives up a link flow that has not finished; a finished one stays as it is. */
export async function cancelIdentityLink(
  deps: IdentityDependencies,
  caller: Caller,
  command: { flowId: string },
): Promise<IdentityLinkFlowView> {
  const { me } = await currentSession(deps, caller, { allowRestricted: true });
  const owner = { accountId: me.accountId, sessionId: me.sessionId };
  const now = deps.clock.now();
  if (command.flowId.startsWith('pfl')) {
    const flow = await ownedProviderLinkFlow(deps, owner, command.flowId);
    const changed = await deps.providerFlows.change(flow._id, (current) =>
      current.state === 'STARTED' ? { changes: { state: 'CANCELLED' }, events: [] } : undefined,
    );
    return providerLinkView(changed ?? flow, now);
  }
  const flow = await ownedCodeFlow(deps, owner, command.flowId, 'LINK');
  const changed = await deps.loginFlows.change(flow._id, (current) =>
    current.state === 'CODE_SENT' ? { changes: { state: 'CANCELLED' }, events: [] } : undefined,
  );
  return codeLinkView(changed ?? flow, now);
}

/** The owner's link flow by id (`identityLinkFlow(id)`); null alike for "absent" and "not yours". */
export async function findIdentityLinkFlow(
  deps: IdentityDependencies,
  caller: Caller,
  flowId: string,
): Promise<IdentityLinkFlowView | null> {
  const { me } = await currentSession(deps, caller, { allowRestricted: true });
  const owner = { accountId: me.accountId, sessionId: me.sessionId };
  const now = deps.clock.now();
  try {
    if (flowId.startsWith('pfl')) return providerLinkView(await ownedProviderLinkFlow(deps, owner, flowId), now);
    return codeLinkView(await ownedCodeFlow(deps, owner, flowId, 'LINK'), now);
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

async function ownedProviderLinkFlow(
  deps: IdentityDependencies,
  owner: FlowOwner,
  flowId: string,
): Promise<ProviderFlowDocument> {
  const flow = await deps.providerFlows.findById(flowId);
  if (!flow || flow.purpose !== 'LINK' || !isOwner(flow.owner, owner)) throw new NotFoundError('Flow');
  return flow;
}

function codeLinkView(flow: LoginFlowDocument, now: Date): IdentityLinkFlowView {
  const linked = flow.state === 'COMPLETED' && !!flow.linkedIdentityId;
  const state: LinkFlowState =
    flow.state === 'CANCELLED' ? 'CANCELLED' : linked ? 'LINKED' : flow.state === 'FAILED' ? 'FAILED' : 'CODE_SENT';
  const expired = state === 'CODE_SENT' && isFlowExpired(flow, now);
  return {
    id: flow._id,
    method: flow.channel,
    state: expired ? 'FAILED' : state,
    destination: flow.masked,
    providerId: null,
    failure: expired ? 'FLOW_EXPIRED' : (flow.failure ?? null),
    linkedIdentityId: flow.linkedIdentityId ?? null,
    expiresAt: flow.expiresAt,
  };
}

function providerLinkView(flow: ProviderFlowDocument, now: Date): IdentityLinkFlowView {
  const states: Record<ProviderFlowDocument['state'], LinkFlowState> = {
    STARTED: 'WAITING_FOR_PROVIDER',
    AUTHENTICATED: 'WAITING_FOR_PROVIDER',
    COMPLETED: 'LINKED',
    FAILED: 'FAILED',
    CANCELLED: 'CANCELLED',
  };
  const expired = flow.state === 'STARTED' && isExpired(flow, now);
  return {
    id: flow._id,
    method: 'PROVIDER',
    state: expired ? 'FAILED' : states[flow.state],
    destination: null,
    providerId: flow.providerId,
    failure: expired ? 'FLOW_EXPIRED' : flow.failure,
    linkedIdentityId: flow.linkedIdentityId,
    expiresAt: flow.expiresAt,
  };
}
