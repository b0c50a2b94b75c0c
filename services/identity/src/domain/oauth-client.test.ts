import { checkClientSettings, redirectUriProblem } from './oauth-client';

describe('OAuth client redirect URIs', () => {
  it.each([
    ['https://app.example.com/callback', 'WEB'],
    ['https://app.example.com:8443/cb?tenant=acme', 'WEB'],
    ['http://127.0.0.1/callback', 'NATIVE'],
    ['http://127.0.0.1:51004/callback', 'NATIVE'],
    ['http://[::1]/callback', 'NATIVE'],
    ['com.example.messngr:/oauth2redirect', 'NATIVE'],
    ['https://app.example.com/native', 'NATIVE'],
  ] as const)('takes %s for a %s client', (uri, type) => {
    expect(redirectUriProblem(uri, type)).toBeUndefined();
  });

  it.each([
    ['http://app.example.com/callback', 'WEB', /https/],
    ['http://127.0.0.1/callback', 'WEB', /https/],
    ['https://*.example.com/callback', 'WEB', /wildcard/],
    ['https://app.example.com/callback#frag', 'WEB', /fragment/],
    ['https://user:pw@app.example.com/cb', 'WEB', /user information/],
    ['/callback', 'WEB', /absolute/],
    [' https://app.example.com/cb', 'WEB', /white space/],
    ['http://localhost:3000/callback', 'NATIVE', /localhost/],
    ['http://192.168.1.2/callback', 'NATIVE', /loopback/],
    ['myapp:/callback', 'NATIVE', /reverse domain/],
    ['javascript:alert(1)', 'NATIVE', /reverse domain/],
    ['com.example.app:/cb', 'WEB', /https/],
  ] as const)('refuses %s for a %s client', (uri, type, why) => {
    expect(redirectUriProblem(uri, type)).toMatch(why);
  });
});

describe('OAuth client settings', () => {
  it('gives a public web client the code flow with refresh tokens, the usual scopes and third-party consent by default', () => {
    expect(checkClientSettings({ name: ' Web  app ', kind: 'PUBLIC', redirectUris: ['https://app.example.com/cb'] })).toEqual({
      settings: {
        name: 'Web app',
        kind: 'PUBLIC',
        applicationType: 'WEB',
        firstParty: false,
        redirectUris: ['https://app.example.com/cb'],
        postLogoutRedirectUris: [],
        grantTypes: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'],
        scopes: ['openid', 'profile', 'email'],
      },
    });
  });

  it('gives a device client the device grant and no redirect URIs', () => {
    const checked = checkClientSettings({ name: 'TV', kind: 'DEVICE' });
    expect(checked).toMatchObject({ settings: { grantTypes: ['DEVICE_CODE', 'REFRESH_TOKEN'], redirectUris: [] } });
  });

  it.each([
    ['a public client with client credentials', { kind: 'PUBLIC', grantTypes: ['CLIENT_CREDENTIALS'] }, 'grantTypes'],
    ['a device client with the code flow', { kind: 'DEVICE', grantTypes: ['AUTHORIZATION_CODE'] }, 'grantTypes'],
    ['no grant type', { kind: 'CONFIDENTIAL', grantTypes: [] }, 'grantTypes'],
    ['the code flow without a redirect URI', { kind: 'CONFIDENTIAL' }, 'redirectUris'],
    [
      'a redirect URI on a client without the code flow',
      { kind: 'CONFIDENTIAL', grantTypes: ['CLIENT_CREDENTIALS'], redirectUris: ['https://a.example/cb'] },
      'redirectUris',
    ],
    [
      'a native confidential client',
      { kind: 'CONFIDENTIAL', applicationType: 'NATIVE', redirectUris: ['https://a.example/cb'] },
      'applicationType',
    ],
    [
      'a bad second redirect URI',
      { kind: 'PUBLIC', redirectUris: ['https://a.example/cb', 'http://a.example/cb'] },
      'redirectUris.1',
    ],
    ['an unknown scope', { kind: 'PUBLIC', redirectUris: ['https://a.example/cb'], scopes: ['openid', 'admin'] }, 'scopes'],
    ['a blank name', { kind: 'DEVICE', name: '  ' }, 'name'],
  ] as const)('refuses %s, naming the field', (_what, input, field) => {
    expect(checkClientSettings({ name: 'Client', ...input })).toEqual({ problem: expect.any(String), field });
  });
});
