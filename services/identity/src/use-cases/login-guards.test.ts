import { STARTING_TENANT_POLICY, type TenantPolicyData } from '@messngr/contracts';
import { asTenantId, type TenantId } from '@messngr/kit/core';
import type { SendSlotRepository } from '../persistence/send-slot.repository';
import { takeSendSlots } from './login-guards';
import type { LoginIdentifier } from './login-identifier';

const T0 = new Date('2026-12-01T10:00:00Z');
const TENANT_A = asTenantId('ten_a');
const TENANT_B = asTenantId('ten_b');

/**
 * The send slots as the database keeps them: `_id` unique across every tenant, filled from
 * 1 without gaps, full when slot `limit` is taken (the rules of SendSlotRepository).
 */
function slotStore() {
  const ids = new Map<string, TenantId>();
  const slotId = (scope: string, window: { id: string }, slot: number) =>
    `${scope}:${window.id}:${String(slot).padStart(5, '0')}`;
  const store = {
    async isFull(tenantId: TenantId, scope: string, window: { id: string }, limit: number) {
      return ids.get(slotId(scope, window, limit)) === tenantId;
    },
    async take(tenantId: TenantId, scope: string, window: { id: string }, limit: number) {
      for (let slot = 1; slot <= limit; slot += 1) {
        const id = slotId(scope, window, slot);
        if (!ids.has(id)) {
          ids.set(id, tenantId);
          return true;
        }
      }
      return false;
    },
  };
  return { slots: store as unknown as SendSlotRepository, ids };
}

const person = (value: string): LoginIdentifier => ({ kind: 'EMAIL', value, masked: 'x***@example.com' });
const limits = (otpSendLimits: Partial<TenantPolicyData['otpSendLimits']>): TenantPolicyData => ({
  ...STARTING_TENANT_POLICY,
  otpSendLimits: { ...STARTING_TENANT_POLICY.otpSendLimits, ...otpSendLimits },
});

async function outcome(send: Promise<void>): Promise<string> {
  return send.then(
    () => 'sent',
    (error: { code?: string }) => error.code ?? 'error',
  );
}

describe('send limits for sign-in codes', () => {
  it("keeps each tenant's allowance its own, for the tenant and for a network", async () => {
    const { slots } = slotStore();
    const policy = limits({ perTenantPerHour: 2, perIpPerHour: 2 });
    for (const tenantId of [TENANT_A, TENANT_B]) {
      const sends = [];
      for (const name of ['a', 'b', 'c']) {
        sends.push(await outcome(takeSendSlots(slots, tenantId, person(`${name}@example.com`), '203.0.113.1', policy, T0)));
      }
      expect(sends).toEqual(['sent', 'sent', 'RATE_LIMITED']);
    }
  });

  it('takes nothing for a refused send: tries from a full network leave the address its allowance', async () => {
    const { slots, ids } = slotStore();
    const policy = limits({ perIpPerHour: 1, perIdentifierPerHour: 2 });
    expect(await outcome(takeSendSlots(slots, TENANT_A, person('first@example.com'), '203.0.113.1', policy, T0))).toBe('sent');
    const before = ids.size;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect(await outcome(takeSendSlots(slots, TENANT_A, person('kari@example.com'), '203.0.113.1', policy, T0))).toBe(
        'RATE_LIMITED',
      );
    }
    expect(ids.size).toBe(before);
    const elsewhere = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      elsewhere.push(
        await outcome(takeSendSlots(slots, TENANT_A, person('kari@example.com'), `198.51.100.${attempt}`, policy, T0)),
      );
    }
    expect(elsewhere).toEqual(['sent', 'sent', 'RATE_LIMITED']);
  });

  it('refuses with the time left in the clock hour', async () => {
    const { slots } = slotStore();
    const policy = limits({ perTenantPerHour: 1 });
    await takeSendSlots(slots, TENANT_A, person('a@example.com'), undefined, policy, T0);
    const later = new Date(T0.getTime() + 45 * 60_000);
    await expect(takeSendSlots(slots, TENANT_A, person('b@example.com'), undefined, policy, later)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      details: { retryAfterSeconds: 15 * 60 },
    });
  });
});
