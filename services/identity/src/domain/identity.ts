import { createHash } from 'node:crypto';
import { newId } from '@messngr/kit/core';

export type IdentityKind = 'EMAIL' | 'PHONE' | 'OIDC' | 'OAUTH2';

/** One way to sign in to an account, kept inside the account's document. */
export interface StoredIdentity {
  id: string;
  kind: IdentityKind;
  /** The identity provider it belongs to (the tenant's NATIVE provider for email and phone). */
  providerId: string | null;
  /** Normalized email or E.164 number; for OIDC/OAUTH2 the issuer and subject instead. */
  value: string | null;
  issuer: string | null;
  subject: string | null;
  /** How people see it: masked for email and phone. */
  displayValue: string;
  verified: boolean;
  verifiedAt: Date | null;
  linkedAt: Date;
  lastUsedAt: Date | null;
}

/**
 * The `_id` of the claim document that makes an identity value unique in its tenant. A
 * unique `_id` holds under concurrency on FerretDB and MongoDB alike (DESIGN §5).
 */
export function identityClaimId(tenantId: string, kind: IdentityKind, value: string): string {
  return `${tenantId}:${kind}:${value}`;
}

/** An opaque stand-in for an identifier in keys and event subjects, so neither carries the address itself. */
export function identifierDigest(tenantId: string, kind: IdentityKind, value: string): string {
  return createHash('sha256')
    .update(identityClaimId(tenantId, kind, value))
    .digest('base64url')
    .slice(0, 22);
}

/** The value an upstream identity is claimed by in its tenant: (issuer, subject), never an email. */
export function upstreamClaimValue(issuer: string, subject: string): string {
  // Issuers are URLs without a fragment, so `#` cannot be part of one.
  return `${issuer}#${subject}`;
}

/** What makes an identity unique in its tenant: the normalized value, or (issuer, subject). */
export function claimValueOf(identity: Pick<StoredIdentity, 'value' | 'issuer' | 'subject'>): string | null {
  if (identity.value) return identity.value;
  return identity.issuer && identity.subject ? upstreamClaimValue(identity.issuer, identity.subject) : null;
}

/** A new identity proven just now (by a code, or by a provider's word): verified and linked at `now`. */
export function verifiedIdentity(
  proof: Pick<StoredIdentity, 'kind' | 'displayValue'> &
    Partial<Pick<StoredIdentity, 'providerId' | 'value' | 'issuer' | 'subject'>>,
  now: Date,
  lastUsedAt: Date | null = null,
): StoredIdentity {
  return {
    id: newId('idn', now.getTime()),
    kind: proof.kind,
    providerId: proof.providerId ?? null,
    value: proof.value ?? null,
    issuer: proof.issuer ?? null,
    subject: proof.subject ?? null,
    displayValue: proof.displayValue,
    verified: true,
    verifiedAt: now,
    linkedAt: now,
    lastUsedAt,
  };
}
