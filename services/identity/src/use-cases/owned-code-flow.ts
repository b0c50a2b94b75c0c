import type { Caller } from '@messngr/kit/auth';
import { newCapabilityId, type TenantId } from '@messngr/kit/core';
import type { NewAggregate } from '@messngr/kit/mongo';
import { DomainError, NotFoundError } from '@messngr/kit/errors';
import { codeContext, codeHash, codeMatches, newCode } from '../domain/one-time-code';
import { decidePresentedCode, LOGIN_FLOW_TTL_MS, replacementCode, type CodeDecision } from '../domain/login-flow';
import { policyOf } from '../domain/tenant-rules';
import type { LoginDependencies } from '../dependencies';
import type { FlowOwner, LoginFlowDocument, OperatorRecovery } from '../persistence/login-flow.model';
import type { LoginIdentifier } from './login-identifier';
import { refuseIfLockedOut, takeSendSlots } from './login-guards';

/**
 * One-time codes for a signed-in owner: adding an address to the account (LINK) or confirming
 * it is them again (REAUTH). The same flows, codes, limits and courier as sign-in, bound to the
 * account and session that started them: nobody else can finish one.
 */
export async function startOwnedCodeFlow(
  deps: LoginDependencies,
  caller: Caller,
  request: { purpose: 'LINK' | 'REAUTH'; owner: FlowOwner; identifier: LoginIdentifier; locale: string | null },
): Promise<LoginFlowDocument> {
  const now = deps.clock.now();
  const tenantId = caller.tenantId;
  if (!tenantId) throw new NotFoundError('Tenant');
  const tenant = await deps.tenants.findCached(tenantId);
  if (!tenant) throw new NotFoundError('Tenant');
  await refuseIfLockedOut(deps.lockouts, tenant._id, request.identifier, now);
  await takeSendSlots(deps.sendSlots, tenant._id, request.identifier, caller.clientIp, policyOf(tenant), now);
  const stored = await deps.loginFlows.insert(
    ownedFlowDocument(deps, caller, { ...request, tenantId: tenant._id, recovery: null, secret: newCode(), now }),
    [],
  );
  deps.courier.nudge();
  return stored;
}

/**
 * A code flow for someone who is not signing in (LINK, REAUTH, RECOVERY), its secret (a code,
 * or a recovery link's token) hashed and sealed for the courier, delivery pending.
 */
export function ownedFlowDocument(
  deps: Pick<LoginDependencies, 'otpKey' | 'secretBox'>,
  caller: Caller,
  request: {
    tenantId: TenantId;
    purpose: 'LINK' | 'REAUTH' | 'RECOVERY';
    owner: FlowOwner | null;
    recovery: OperatorRecovery | null;
    identifier: LoginIdentifier;
    locale: string | null;
    secret: string;
    now: Date;
  },
): NewAggregate<LoginFlowDocument> {
  const id = newCapabilityId('lgn');
  const { now, identifier, secret } = request;
  return {
    _id: id,
    tenantId: request.tenantId,
    purpose: request.purpose,
    owner: request.owner,
    recovery: request.recovery,
    failure: null,
    linkedIdentityId: null,
    channel: identifier.kind,
    identifier: identifier.value,
    masked: identifier.masked,
    locale: request.locale,
    state: 'CODE_SENT',
    code: replacementCode(codeHash(deps.otpKey, id, secret), now),
    deliverable: true,
    delivery: { pending: true, sealedCode: deps.secretBox.seal(secret, codeContext(id)), attempts: 0, lastError: null },
    codesSent: 1,
    clientIp: caller.clientIp ?? null,
    userAgent: caller.userAgent ?? null,
    issuedAt: now,
    expiresAt: new Date(now.getTime() + LOGIN_FLOW_TTL_MS),
  };
}

const REFUSALS = {
  INVALID_CODE: 'The code is wrong.',
  TOO_MANY_ATTEMPTS: 'Too many wrong codes; ask for a new one.',
  FLOW_EXPIRED: 'The code expired; ask for a new one.',
} as const;

/** The owner's flow of this purpose by id; another account's or session's is not found, alike. */
export async function ownedCodeFlow(
  deps: Pick<LoginDependencies, 'loginFlows'>,
  owner: FlowOwner,
  flowId: string,
  purpose: 'LINK' | 'REAUTH',
): Promise<LoginFlowDocument> {
  const flow = await deps.loginFlows.findById(flowId);
  if (!flow || flow.purpose !== purpose || !isOwner(flow.owner, owner)) throw new NotFoundError('Flow');
  return flow;
}

/** A code presented to an owned flow, counted (five per code) and judged like a sign-in code; throws the refusal. */
export async function presentOwnedCode(
  deps: Pick<LoginDependencies, 'loginFlows' | 'otpKey' | 'clock'>,
  flow: LoginFlowDocument,
  code: string,
): Promise<LoginFlowDocument> {
  const now = deps.clock.now();
  let decision: CodeDecision | undefined;
  const changed = await deps.loginFlows.change(flow._id, (current) => {
    const right = codeMatches(deps.otpKey, current._id, code, current.code.hash);
    decision = decidePresentedCode(current, right, now);
    return decision.next ? { changes: decision.next, events: [] } : undefined;
  });
  if (!changed || !decision) throw new NotFoundError('Flow');
  if (!decision.outcome.accepted) {
    const refusal = decision.outcome.refusal;
    throw new DomainError(refusal, REFUSALS[refusal], 400);
  }
  return changed;
}

export function isOwner(owner: FlowOwner | null | undefined, caller: FlowOwner): boolean {
  return !!owner && owner.accountId === caller.accountId && owner.sessionId === caller.sessionId;
}
