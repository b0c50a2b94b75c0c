/**
 * The device cap, race-free on FerretDB and MongoDB alike with nothing but `_id` uniqueness:
 * an active device holds one of its account's `cap` numbered slots, each a claim document
 * whose `_id` is `<tenantId>:<accountId>:<slot>`. Registering inserts a free slot's claim
 * before the device (a duplicate key means another registration took it: try the next);
 * revoking the device deletes its claim. Whatever the interleaving, at most `cap` claims
 * exist, so at most `cap` devices are active. (Counting active devices and then inserting
 * would let concurrent registrations all see room.)
 */
export const DEFAULT_MAX_ACTIVE_DEVICES = 20;

/** A claim with no active device behind it this long is a crashed registration's: its slot is freed. */
export const ORPHANED_SLOT_MS = 60_000;

export function slotId(tenantId: string, accountId: string, slot: number): string {
  return `${tenantId}:${accountId}:${slot}`;
}

/**
 * The slots to try, in order: the free ones (of 0..cap-1, `taken` being those claimed when
 * read), shuffled so that concurrent registrations mostly try different slots first, then the
 * taken ones, in case some were freed since. `random` is injected for tests.
 */
export function slotsToTry(cap: number, taken: ReadonlySet<number>, random: () => number = Math.random): number[] {
  const free: number[] = [];
  const busy: number[] = [];
  for (let slot = 0; slot < cap; slot += 1) (taken.has(slot) ? busy : free).push(slot);
  for (let i = free.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [free[i], free[j]] = [free[j]!, free[i]!];
  }
  return [...free, ...busy];
}

/**
 * Whether a claim may be freed although its device did not revoke it: its device is revoked
 * (a revocation whose release did not happen), or absent long after the claim was made (a
 * registration that crashed between its claim and its device). A claim whose device is being
 * inserted right now is younger than ORPHANED_SLOT_MS and stays.
 */
export function isStaleClaim(claim: { claimedAt: Date }, device: { revokedAt: Date | null } | undefined, now: Date): boolean {
  if (device) return device.revokedAt !== null;
  return now.getTime() - claim.claimedAt.getTime() > ORPHANED_SLOT_MS;
}
