import type { SecretBox } from '@messngr/kit/core';
import type { Logger } from '@messngr/kit/logging';
import { CODE_TTL_MS, codeContext } from '../domain/one-time-code';
import type { CodeDelivery } from '../delivery/code-delivery';
import { UNCOUNTED, type IdentityMetrics } from '../identity-metrics';
import type { LoginFlowDocument } from '../persistence/login-flow.model';
import type { LoginFlowRepository } from '../persistence/login-flow.repository';
import type { TenantReplicaRepository } from '../persistence/tenant-replica.repository';

const POLL_MS = 1_000;
const MAX_DELIVERY_ATTEMPTS = 5;
/** Sends at once: one slow mail server round trip must not hold up every other sign-in's code. */
const DELIVERIES_AT_ONCE = 8;

/**
 * Sends the codes sign-in flows wait for, after the request that asked for them has been
 * answered (so a known and an unknown address take the same time to answer). The code
 * waits sealed in its flow and is erased once sent, or once delivery gave up.
 */
export class LoginCodeCourier {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = true;

  constructor(
    private readonly deps: {
      loginFlows: LoginFlowRepository;
      tenants: TenantReplicaRepository;
      delivery: CodeDelivery;
      secretBox: SecretBox;
      logger: Logger;
      metrics?: IdentityMetrics;
    },
  ) {}

  start(): void {
    this.#stopped = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    while (this.#running) await this.#running;
    await this.deps.delivery.close();
  }

  /** Deliver soon: called when a flow starts waiting. */
  nudge(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    void this.run();
  }

  private schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => void this.run().finally(() => this.schedule()), POLL_MS);
    this.#timer.unref();
  }

  private run(): Promise<void> {
    this.#running ??= (async () => {
      do {
        this.#again = false;
        try {
          await inParallel(await this.deps.loginFlows.awaitingDelivery(50), DELIVERIES_AT_ONCE, (flow) => this.deliver(flow));
        } catch (error) {
          this.deps.logger.warn({ err: error }, 'login codes could not be read for delivery; will retry');
        }
      } while (this.#again && !this.#stopped);
    })().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  private async deliver(flow: LoginFlowDocument): Promise<void> {
    const sealed = flow.delivery.sealedCode;
    let failure: string | null = null;
    if (sealed) {
      try {
        const tenant = await this.deps.tenants.findCached(flow.tenantId);
        const code = this.deps.secretBox.open(sealed, codeContext(flow._id));
        await this.deps.delivery.deliver({
          channel: flow.channel,
          to: flow.identifier,
          code,
          locale: flow.locale,
          tenantName: tenant?.name ?? 'Messngr',
          expiresInMinutes: Math.round(CODE_TTL_MS / 60_000),
          purpose: flow.purpose ?? 'SIGN_IN',
          ...(flow.recovery ? { recoveryLink: recoveryLink(flow.recovery.returnTo, flow._id, code) } : {}),
        });
      } catch (error) {
        failure = error instanceof Error ? error.message.slice(0, 200) : 'delivery failed';
        this.deps.logger.warn(
          { flowId: flow._id, channel: flow.channel, reason: failure },
          'a login code could not be delivered yet',
        );
      }
    }
    const attempts = flow.delivery.attempts + 1;
    const done = failure === null || attempts >= MAX_DELIVERY_ATTEMPTS;
    if (sealed)
      (this.deps.metrics ?? UNCOUNTED).codeSent(flow.channel, flow.purpose ?? 'SIGN_IN', failure === null ? 'SENT' : 'FAILED');
    await this.deps.loginFlows.change(flow._id, (current) => {
      // A newer code replaced this one meanwhile: that one is the courier's next job.
      if (current.delivery.sealedCode?.ciphertext !== sealed?.ciphertext) return undefined;
      return {
        changes: {
          delivery: { pending: !done, sealedCode: done ? null : current.delivery.sealedCode, attempts, lastError: failure },
        },
        events: [],
      };
    });
  }
}

/** Runs `work` for each item, at most `limit` at a time. */
async function inParallel<Item>(items: readonly Item[], limit: number, work: (item: Item) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** The one-time link of an operator recovery: the app's page with the flow and its token. */
export function recoveryLink(returnTo: string, flowId: string, token: string): string {
  const url = new URL(returnTo);
  url.searchParams.set('recovery', `${flowId}.${token}`);
  return url.href;
}
