import type { Caller } from '@messngr/kit/auth';
import { ConflictError, DomainError } from '@messngr/kit/errors';
import { isFlowExpired, replacementCode } from '../domain/login-flow';
import { codeContext, codeHash, newCode } from '../domain/one-time-code';
import { policyOf } from '../domain/tenant-rules';
import type { LoginDependencies } from '../dependencies';
import type { LoginFlowDocument } from '../persistence/login-flow.model';
import { refuseIfLockedOut, takeSendSlots } from './login-guards';

/** A new code for the flow, voiding the one before; the same send limits as the first. */
export async function resendLoginCode(
  deps: LoginDependencies,
  caller: Caller,
  command: { flowId: string },
): Promise<LoginFlowDocument> {
  const now = deps.clock.now();
  const flow = await deps.loginFlows.findById(command.flowId);
  if (!flow || flow.state !== 'CODE_SENT') throw new DomainError('INVALID_CODE', 'No sign-in waits for a code here.', 400);
  if (isFlowExpired(flow, now)) throw new DomainError('FLOW_EXPIRED', 'The sign-in expired; start again.', 400);
  const tenant = await deps.tenants.findCached(flow.tenantId);
  if (!tenant || tenant.status !== 'ACTIVE') throw new ConflictError('TENANT_SUSPENDED', 'The tenant is suspended.');
  const identifier = { kind: flow.channel, value: flow.identifier, masked: flow.masked };
  await refuseIfLockedOut(deps.lockouts, flow.tenantId, identifier, now);
  await takeSendSlots(deps.sendSlots, flow.tenantId, identifier, caller.clientIp, policyOf(tenant), now);
  const code = newCode();
  const changed = await deps.loginFlows.change(flow._id, (current) => {
    if (current.state !== 'CODE_SENT' || isFlowExpired(current, now)) {
      throw new DomainError('FLOW_EXPIRED', 'The sign-in expired; start again.', 400);
    }
    return {
      changes: {
        code: replacementCode(codeHash(deps.otpKey, current._id, code), now),
        delivery: {
          pending: current.deliverable,
          sealedCode: current.deliverable ? deps.secretBox.seal(code, codeContext(current._id)) : null,
          attempts: 0,
          lastError: null,
        },
        codesSent: current.codesSent + 1,
      },
      events: [],
    };
  });
  if (!changed) throw new DomainError('INVALID_CODE', 'No sign-in waits for a code here.', 400);
  deps.courier.nudge();
  return changed;
}
