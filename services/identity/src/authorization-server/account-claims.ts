import type { AccountDocument } from '../persistence/account.model';

/** The claims each scope releases (OpenID Connect Core §5.4), as the provider advertises them. */
export const SCOPE_CLAIMS = {
  openid: ['sub'],
  profile: ['name', 'preferred_username', 'locale', 'zoneinfo'],
  email: ['email', 'email_verified'],
  phone: ['phone_number', 'phone_number_verified'],
} as const;

/**
 * An account's claims for the scopes granted: `sub` is the account id, never an identity's
 * value; the email and phone are the first verified ones the account has.
 */
export function accountClaims(account: AccountDocument, scopes: ReadonlySet<string>): Record<string, unknown> {
  const claims: Record<string, unknown> = { sub: account._id };
  if (scopes.has('profile')) {
    claims['name'] = account.displayName;
    claims['preferred_username'] = account.handle;
    if (account.preferredLocale) claims['locale'] = account.preferredLocale;
    if (account.timeZone) claims['zoneinfo'] = account.timeZone;
  }
  const email = account.identities.find((identity) => identity.kind === 'EMAIL' && identity.verified);
  if (scopes.has('email') && email?.value) {
    claims['email'] = email.value;
    claims['email_verified'] = true;
  }
  const phone = account.identities.find((identity) => identity.kind === 'PHONE' && identity.verified);
  if (scopes.has('phone') && phone?.value) {
    claims['phone_number'] = phone.value;
    claims['phone_number_verified'] = true;
  }
  return claims;
}

export function scopeSet(scope: string | undefined | null): Set<string> {
  return new Set((scope ?? '').split(' ').filter(Boolean));
}
