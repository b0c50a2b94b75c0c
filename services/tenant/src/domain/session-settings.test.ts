import { applySessionSettings, DEFAULT_SESSION_SETTINGS } from './session-settings';

describe('session settings', () => {
  it('keeps what is omitted and applies what is given', () => {
    expect(applySessionSettings(DEFAULT_SESSION_SETTINGS, { sessionTtlSeconds: 3600, cookieDomain: 'Chat.Example.COM' })).toEqual(
      {
        ...DEFAULT_SESSION_SETTINGS,
        sessionTtlSeconds: 3600,
        cookieDomain: 'chat.example.com',
      },
    );
    expect(
      applySessionSettings({ ...DEFAULT_SESSION_SETTINGS, cookieDomain: 'a.example' }, { cookieDomain: null }).cookieDomain,
    ).toBeNull();
  });

  it.each([
    [{ sessionTtlSeconds: 299 }, 'session.sessionTtlSeconds'],
    [{ sessionTtlSeconds: 90 * 24 * 3600 + 1 }, 'session.sessionTtlSeconds'],
    [{ refreshTokenAbsoluteLifetimeSeconds: 3599 }, 'session.refreshTokenAbsoluteLifetimeSeconds'],
    [{ sessionTtlSeconds: 7200, refreshTokenAbsoluteLifetimeSeconds: 3600 }, 'session.refreshTokenAbsoluteLifetimeSeconds'],
    [{ cookieName: 'bad name' }, 'session.cookieName'],
    [{ cookieDomain: 'not a host' }, 'session.cookieDomain'],
  ])('refuses %j naming %s', (changes, field) => {
    expect(() => applySessionSettings(DEFAULT_SESSION_SETTINGS, changes)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', details: { field } }),
    );
  });
});
