import type { Stack } from '@messngr/e2e/harness';
import type { FailureReasons } from './load';
import { codeFor, COMPLETE_LOGIN, START_LOGIN } from './sign-in';

/**
 * A whole sign-in through the gateway as a frontend makes it: `startLogin`, the code read
 * from the message the service sent to the stack's SMTP sink, `completeLogin`. `emailFor`
 * names the address each sign-in of a worker uses: a returning account of its own, or a
 * new address every time (a first sign-in, which creates the account).
 */
export function signInThroughGateway(
  stack: Stack,
  tenantId: string,
  emailFor: (worker: number, attempt: number) => string,
  failures: FailureReasons,
) {
  const attempts = new Map<number, number>();
  return async (worker: number): Promise<boolean> => {
    const attempt = (attempts.get(worker) ?? 0) + 1;
    attempts.set(worker, attempt);
    const email = emailFor(worker, attempt);
    const since = stack.mailbox.messages.length;
    const started = await stack.graphql<{ startLogin: { flow: { id: string } } }>(START_LOGIN, { input: { tenantId, email } });
    const flowId = started.data?.startLogin.flow.id;
    if (!flowId) return failures.note(`startLogin: ${started.errors?.[0]?.extensions?.code ?? `HTTP ${started.status}`}`);
    let code: string;
    try {
      code = await codeFor(stack, email, since, 10_000);
    } catch (error) {
      return failures.note(`code: ${error instanceof Error ? error.message : String(error)}`);
    }
    const completed = await stack.graphql<{ completeLogin: { accessToken: string } }>(COMPLETE_LOGIN, {
      input: { flowId, code },
    });
    if (!completed.data?.completeLogin) {
      return failures.note(`completeLogin: ${completed.errors?.[0]?.extensions?.code ?? `HTTP ${completed.status}`}`);
    }
    return typeof completed.data.completeLogin.accessToken === 'string';
  };
}
