import type { AccountDocument } from '../persistence/account.model';
import { accountClaims, scopeSet } from './account-claims';

const account = {
  _id: 'acc_1',
  displayName: 'Ada',
  handle: 'ada',
  preferredLocale: 'nb-NO',
  timeZone: 'Europe/Oslo',
  identities: [
    { id: 'idn_1', kind: 'EMAIL', value: 'old@example.com', verified: false },
    { id: 'idn_2', kind: 'EMAIL', value: 'ada@example.com', verified: true },
    { id: 'idn_3', kind: 'PHONE', value: '+4791234567', verified: true },
  ],
} as unknown as AccountDocument;

describe('claims of an account by scope', () => {
  it('releases only sub for openid alone', () => {
    expect(accountClaims(account, scopeSet('openid'))).toEqual({ sub: 'acc_1' });
  });

  it('releases profile, the first verified email and phone for their scopes', () => {
    expect(accountClaims(account, scopeSet('openid profile email phone'))).toEqual({
      sub: 'acc_1',
      name: 'Ada',
      preferred_username: 'ada',
      locale: 'nb-NO',
      zoneinfo: 'Europe/Oslo',
      email: 'ada@example.com',
      email_verified: true,
      phone_number: '+4791234567',
      phone_number_verified: true,
    });
  });
});
