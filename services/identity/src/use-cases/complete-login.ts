import type { Caller } from '@messngr/kit/auth';
import { ConflictError, DomainError } from '@messngr/kit/errors';
import { decidePresentedCode, type CodeDecision } from '../domain/login-flow';
import { afterRightCode, afterWrongCode, FAILURES_BEFORE_LOCKOUT } from '../domain/login-lockout';
import { codeMatches } from '../domain/one-time-code';
import { verifiedIdentity, type StoredIdentity } from '../domain/identity';
import { policyOf } from '../domain/tenant-rules';
import type { IdentityDependencies, LoginDependencies } from '../dependencies';
import { countedSignIn } from '../identity-metrics';
import { loginLockedOut } from '../events/identity-events-publisher';
import type { AccountDocument } from '../persistence/account.model';
import type { LoginFlowDocument } from '../persistence/login-flow.model';
import { IdentityAlreadyClaimed, insertAccount } from './create-account';
import type { LoginIdentifier } from './login-identifier';
import { lockoutKey, refuseIfLockedOut } from './login-guards';
import { beginSession, checkDeviceAtSignIn, type DeviceAtSignIn, type SignedIn } from './begin-session';

export interface CompleteLoginCommand {
  flowId: string;
  code: string;
  device?: DeviceAtSignIn | null;
  clientId?: string | null;
}

const NO_SUCH_FLOW = () => new DomainError('INVALID_CODE', 'The code is wrong.', 400);

type CountedLoginDependencies = LoginDependencies & Pick<IdentityDependencies, 'metrics'>;

/**
 * Completes a sign-in by one-time code: the code checked and counted against the flow (and
 * a wrong one against the identifier), then the account found by its claimed identity or,
 * where the tenant allows sign-up, created with it verified; then a session begins.
 */
export function completeLogin(deps: CountedLoginDependencies, caller: Caller, command: CompleteLoginCommand): Promise<SignedIn> {
  return countedSignIn(deps.metrics, 'CODE', () => signInWithCode(deps, caller, command));
}

async function signInWithCode(deps: CountedLoginDependencies, caller: Caller, command: CompleteLoginCommand): Promise<SignedIn> {
  const device = checkDeviceAtSignIn(command.device);
  const { account, identity, created, now } = await verifyCode(deps, command);
  return {
    ...(await beginSession(deps, caller, { account, identity, device, clientId: command.clientId, now })),
    accountCreated: created,
  };
}

export interface VerifiedCode {
  account: AccountDocument;
  identity: StoredIdentity;
  created: boolean;
  now: Date;
}

/**
 * The one-time code checked, without beginning a session: the hosted sign-in pages do this,
 * and the authorization server begins the session when the client redeems its code.
 */
export function verifyLoginCode(
  deps: CountedLoginDependencies,
  command: { flowId: string; code: string },
): Promise<VerifiedCode> {
  return countedSignIn(deps.metrics, 'CODE', () => verifyCode(deps, command));
}

async function verifyCode(deps: CountedLoginDependencies, command: { flowId: string; code: string }): Promise<VerifiedCode> {
  const now = deps.clock.now();
  const known = await deps.loginFlows.findById(command.flowId);
  // A code sent to add an address or to confirm a signed-in owner never signs anyone in.
  if (!known || (known.purpose !== undefined && known.purpose !== 'SIGN_IN')) throw NO_SUCH_FLOW();
  const identifier: LoginIdentifier = { kind: known.channel, value: known.identifier, masked: known.masked };
  await refuseIfLockedOut(deps.lockouts, known.tenantId, identifier, now);

  let decision: CodeDecision | undefined;
  const flow = await deps.loginFlows.change(known._id, (current) => {
    const right = codeMatches(deps.otpKey, current._id, command.code, current.code.hash);
    decision = decidePresentedCode(current, right && current.deliverable, now);
    // A refusal that changes nothing writes nothing (and contends with no other attempt).
    return decision.next ? { changes: decision.next, events: [] } : undefined;
  });
  if (!flow || !decision) throw NO_SUCH_FLOW();
  await countAgainstIdentifier(deps, flow, identifier, decision, now);
  if (!decision.outcome.accepted) {
    const refusal = decision.outcome.refusal;
    throw new DomainError(refusal, REFUSALS[refusal], 400);
  }

  const tenant = await deps.tenants.findCached(flow.tenantId);
  if (!tenant || tenant.status !== 'ACTIVE')
    throw await failed(deps, flow, new ConflictError('TENANT_SUSPENDED', 'The tenant is suspended.'));
  const { account, created } = await accountFor(deps, flow, identifier, now);
  if (account.status !== 'ACTIVE')
    throw await failed(deps, flow, new ConflictError('ACCOUNT_DISABLED', 'The account is disabled.'));
  const identity = account.identities.find(
    (candidate) => candidate.kind === identifier.kind && candidate.value === identifier.value,
  );
  if (!identity) throw NO_SUCH_FLOW();
  await markUsed(deps, account, identity.id, now);
  return { account, identity, created, now };
}

/** The right code, but no session may begin: the flow ends FAILED (its code is spent either way). */
async function failed(deps: LoginDependencies, flow: LoginFlowDocument, refusal: DomainError): Promise<DomainError> {
  await deps.loginFlows.change(flow._id, (current) =>
    current.state === 'COMPLETED' ? { changes: { state: 'FAILED' }, events: [] } : undefined,
  );
  return refusal;
}

const REFUSALS = {
  INVALID_CODE: 'The code is wrong.',
  TOO_MANY_ATTEMPTS: 'Too many wrong codes; ask for a new one.',
  FLOW_EXPIRED: 'The code expired; ask for a new one.',
} as const;

/** A wrong code counts against the identifier across its flows; the right one forgives the count. */
async function countAgainstIdentifier(
  deps: CountedLoginDependencies,
  flow: LoginFlowDocument,
  identifier: LoginIdentifier,
  decision: CodeDecision,
  now: Date,
): Promise<void> {
  const key = lockoutKey(flow.tenantId, identifier);
  if (decision.wrongGuess) {
    let lockedOut = false;
    await deps.lockouts.update(flow.tenantId, key, now, (state) => {
      const { next, lockedUntil } = afterWrongCode(state, now);
      const digest = key.slice(key.indexOf(':') + 1);
      lockedOut = lockedUntil !== undefined && lockedUntil !== null;
      return {
        next,
        events: lockedUntil ? [loginLockedOut(flow.tenantId, digest, identifier, FAILURES_BEFORE_LOCKOUT, lockedUntil, now)] : [],
      };
    });
    if (lockedOut) deps.metrics.lockout(identifier.kind);
  } else if (decision.outcome.accepted) {
    const state = await deps.lockouts.stateOf(flow.tenantId, key);
    if (state.failures > 0)
      await deps.lockouts.update(flow.tenantId, key, now, (current) => ({ next: afterRightCode(current), events: [] }));
  }
}

/** The account the verified identifier belongs to; a new one where the tenant allows sign-up. Never by an email match across kinds. */
async function accountFor(
  deps: LoginDependencies,
  flow: LoginFlowDocument,
  identifier: LoginIdentifier,
  now: Date,
): Promise<{ account: AccountDocument; created: boolean }> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const claim = await deps.claims.findClaim(flow.tenantId, identifier.kind, identifier.value);
    if (claim) {
      const account = await deps.accounts.findById(flow.tenantId, claim.accountId);
      if (account) return { account, created: false };
    }
    const tenant = await deps.tenants.findCached(flow.tenantId);
    if (!tenant || !policyOf(tenant).allowSignUp) throw NO_SUCH_FLOW();
    const identity = verifiedIdentity({ kind: identifier.kind, value: identifier.value, displayValue: identifier.masked }, now);
    try {
      const account = await insertAccount(
        deps,
        { tenantId: flow.tenantId, displayName: defaultDisplayName(identifier), preferredLocale: flow.locale, identity },
        { type: 'account', clientIp: flow.clientIp, userAgent: flow.userAgent },
      );
      return { account, created: true };
    } catch (error) {
      // Someone signed up with the same address at the same moment: theirs is the account.
      if (!(error instanceof IdentityAlreadyClaimed)) throw error;
    }
  }
  throw new ConflictError('CONCURRENT_MODIFICATION', 'The sign-in collided with another; try again.');
}

/** `kari.nordmann@example.com` → "kari.nordmann"; a phone number → "New user". People change it in their profile. */
function defaultDisplayName(identifier: LoginIdentifier): string {
  if (identifier.kind === 'EMAIL') return identifier.value.slice(0, identifier.value.indexOf('@')).slice(0, 80) || 'New user';
  return 'New user';
}

async function markUsed(deps: LoginDependencies, account: AccountDocument, identityId: string, now: Date): Promise<void> {
  await deps.accounts.change(account.tenantId, account._id, (current) => ({
    changes: {
      identities: current.identities.map((identity) =>
        identity.id === identityId ? { ...identity, lastUsedAt: now } : identity,
      ),
    },
    events: [],
  }));
}
