import { BadUserInputError, ConflictError } from '@messngr/kit/errors';
import type { TenantPolicyData } from '@messngr/contracts';
import { normalizeEmail, type NormalizedIdentifier } from '../domain/email-address';
import { normalizePhone } from '../domain/phone-number';

export interface LoginIdentifier extends NormalizedIdentifier {
  kind: 'EMAIL' | 'PHONE';
}

/** Exactly one of email and phone, normalized; phone numbers only where the tenant's policy allows them. */
export function loginIdentifier(
  input: { email?: string | null; phone?: string | null },
  policy: TenantPolicyData,
): LoginIdentifier {
  if ((input.email == null) === (input.phone == null)) {
    throw new BadUserInputError('Give either an email address or a phone number.', {
      field: input.email == null ? 'email' : 'phone',
    });
  }
  if (input.email != null) {
    const email = normalizeEmail(input.email);
    if (!email) throw new BadUserInputError('email is not an email address.', { field: 'email' });
    return { kind: 'EMAIL', ...email };
  }
  if (!policy.allowPhoneIdentities)
    throw new ConflictError('PHONE_NOT_ALLOWED', "The tenant's policy does not allow phone numbers.");
  const phone = normalizePhone(input.phone ?? '');
  if (!phone)
    throw new BadUserInputError('phone must be a valid number with its country code, e.g. +47 912 34 567.', { field: 'phone' });
  return { kind: 'PHONE', ...phone };
}
