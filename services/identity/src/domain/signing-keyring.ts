/**
 * Rotation of a tenant's signing keys. A new key is published (in the JWKS) before it signs,
 * for `overlapMs`, so every verifier has it by then; the key it replaces keeps being
 * published for `retainMs` (longer than any token's lifetime) after it stops signing.
 */
export interface KeyTimeline {
  kid: string;
  /** Published from creation; signs from `signsFrom`. */
  createdAt: Date;
  signsFrom: Date;
  /** Set when a newer key takes over: it stops signing then and stays published until `droppedAt`. */
  signsUntil: Date | null;
  droppedAt: Date | null;
}

export interface RotationPolicy {
  overlapMs: number;
  retainMs: number;
}

/** The key that signs at `now`: the newest whose time has come and whose time has not passed. */
export function signingKeyAt<Key extends KeyTimeline>(keys: readonly Key[], now: Date): Key | undefined {
  const t = now.getTime();
  return [...keys]
    .filter((key) => key.signsFrom.getTime() <= t && (key.signsUntil === null || key.signsUntil.getTime() > t))
    .sort((a, b) => b.signsFrom.getTime() - a.signsFrom.getTime())[0];
}

/** Keys a verifier must find in the JWKS at `now`: every key not yet dropped. */
export function publishedKeysAt<Key extends KeyTimeline>(keys: readonly Key[], now: Date): Key[] {
  return keys.filter((key) => key.droppedAt === null || key.droppedAt.getTime() > now.getTime());
}

/**
 * Adds `next`, signing from `now + overlap`; whatever signs until then stops at that moment
 * and is dropped `retain` later. Keys already dropped are forgotten.
 *
 * A rotation while an earlier one is still pending supersedes the pending key: it will never
 * sign (it stops when it would have started), yet it stays published as long as the retired
 * key. A signer that read the keyring before this rotation (another instance's cache, or a
 * token issued while this change was being written) still takes the pending key once its
 * time comes, and tokens it signs must verify.
 */
export function rotate<Key extends KeyTimeline>(
  keys: readonly Key[],
  next: Omit<Key, 'signsFrom' | 'signsUntil' | 'droppedAt' | 'createdAt'>,
  now: Date,
  policy: RotationPolicy,
): { keys: Key[]; next: Key; retired: Key | undefined } {
  const t = now.getTime();
  const signsFrom = new Date(t + policy.overlapMs);
  const droppedAt = new Date(signsFrom.getTime() + policy.retainMs);
  const live = publishedKeysAt(keys, now);
  const current = signingKeyAt(live, now);
  const retired = current && { ...current, signsUntil: signsFrom, droppedAt };
  const pending = (key: Key) => key.signsFrom.getTime() > t && key.signsUntil === null;
  const others = live
    .filter((key) => key.kid !== current?.kid)
    .map((key) => (pending(key) ? { ...key, signsUntil: key.signsFrom, droppedAt } : key));
  const added = { ...next, createdAt: now, signsFrom, signsUntil: null, droppedAt: null } as Key;
  return { keys: [...others, ...(retired ? [retired] : []), added], next: added, retired };
}
