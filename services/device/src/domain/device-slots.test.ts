import { isStaleClaim, ORPHANED_SLOT_MS, slotId, slotsToTry } from './device-slots';

const NOW = new Date('2026-11-23T10:00:00.000Z');

describe('the device cap’s slots', () => {
  it('are claim documents named by tenant, account and number', () => {
    expect(slotId('ten_a', 'acc_1', 7)).toBe('ten_a:acc_1:7');
  });

  it('are tried free ones first (shuffled), then the taken ones, each of 0..cap-1 once', () => {
    const order = slotsToTry(5, new Set([1, 3]), () => 0.5);
    expect(order.slice(0, 3).sort()).toEqual([0, 2, 4]);
    expect(order.slice(3)).toEqual([1, 3]);
    expect(slotsToTry(3, new Set([0, 1, 2]))).toEqual([0, 1, 2]);
    expect(slotsToTry(20, new Set()).sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
  });

  it('spread concurrent registrations over the free slots', () => {
    const firsts = new Set(Array.from({ length: 50 }, () => slotsToTry(20, new Set())[0]));
    expect(firsts.size).toBeGreaterThan(5);
  });

  it('are freed by others only when their device is revoked, or absent long after the claim', () => {
    const claim = { claimedAt: new Date(NOW.getTime() - 1_000) };
    expect(isStaleClaim(claim, { revokedAt: null }, NOW)).toBe(false);
    expect(isStaleClaim(claim, { revokedAt: NOW }, NOW)).toBe(true);
    // A registration between its claim and its insert.
    expect(isStaleClaim(claim, undefined, NOW)).toBe(false);
    expect(isStaleClaim({ claimedAt: new Date(NOW.getTime() - ORPHANED_SLOT_MS - 1) }, undefined, NOW)).toBe(true);
  });
});
