import type { Caller } from '@messngr/kit/auth';
import { newCapabilityId, type TenantId } from '@messngr/kit/core';
import { ConflictError, NotFoundError } from '@messngr/kit/errors';
import { canonicalLocale } from '../domain/profile-fields';
import { codeContext, codeHash, newCode } from '../domain/one-time-code';
import { LOGIN_FLOW_TTL_MS, replacementCode } from '../domain/login-flow';
import { policyOf } from '../domain/tenant-rules';
import type { LoginDependencies } from '../dependencies';
import type { LoginFlowDocument } from '../persistence/login-flow.model';
import { loginIdentifier } from './login-identifier';
import { refuseIfLockedOut, takeSendSlots } from './login-guards';

export interface StartLoginCommand {
  tenantId: TenantId;
  email?: string | null;
  phone?: string | null;
  locale?: string | null;
}

/**
 * Begins a sign-in by one-time code. Known and unknown addresses get the same answer in the
 * same time: the flow is created either way and the code is sent later, by the courier; for
 * an unknown address in a tenant without sign-up nothing is sent at all.
 */
export async function startLogin(
  deps: LoginDependencies,
  caller: Caller,
  command: StartLoginCommand,
): Promise<LoginFlowDocument> {
  const now = deps.clock.now();
  const tenant = await deps.tenants.findCached(command.tenantId);
  if (!tenant) throw new NotFoundError('Tenant');
  if (tenant.status !== 'ACTIVE') throw new ConflictError('TENANT_SUSPENDED', 'The tenant is suspended.');
  const policy = policyOf(tenant);
  const identifier = loginIdentifier(command, policy);
  await refuseIfLockedOut(deps.lockouts, tenant._id, identifier, now);
  await takeSendSlots(deps.sendSlots, tenant._id, identifier, caller.clientIp, policy, now);
  const known = (await deps.claims.findClaim(tenant._id, identifier.kind, identifier.value)) !== null;
  const deliverable = known || policy.allowSignUp;

  const id = newCapabilityId('lgn');
  const code = newCode();
  const flow = {
    _id: id,
    tenantId: tenant._id,
    channel: identifier.kind,
    identifier: identifier.value,
    masked: identifier.masked,
    locale: (command.locale && canonicalLocale(command.locale)) ?? null,
    state: 'CODE_SENT' as const,
    code: replacementCode(codeHash(deps.otpKey, id, code), now),
    deliverable,
    delivery: {
      pending: deliverable,
      sealedCode: deliverable ? deps.secretBox.seal(code, codeContext(id)) : null,
      attempts: 0,
      lastError: null,
    },
    codesSent: 1,
    clientIp: caller.clientIp ?? null,
    userAgent: caller.userAgent ?? null,
    issuedAt: now,
    expiresAt: new Date(now.getTime() + LOGIN_FLOW_TTL_MS),
  };
  const stored = await deps.loginFlows.insert(flow, []);
  deps.courier.nudge();
  return stored;
}
