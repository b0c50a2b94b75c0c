import { decodeCookieRequests, encodeCookieRequests, parseCookieHeader, serializeSetCookie } from './cookie-relay';

describe('the cookie relay between subgraphs and the gateway', () => {
  const cookie = { name: 'messngr_session', value: 'mrt1.ten_1.ses_1.0.abc-_', domain: null, maxAgeSeconds: 3600 };

  it('round-trips a request through the header encoding', () => {
    expect(decodeCookieRequests(encodeCookieRequests([cookie]))).toEqual([cookie]);
  });

  it('serialises with attributes a subgraph cannot weaken', () => {
    expect(serializeSetCookie({ ...cookie, domain: 'chat.example.com' }, { secure: true })).toBe(
      'messngr_session=mrt1.ten_1.ses_1.0.abc-_; Path=/graphql; Max-Age=3600; Domain=chat.example.com; HttpOnly; SameSite=Strict; Secure',
    );
    expect(serializeSetCookie(cookie, { secure: false })).not.toContain('Secure');
  });

  it.each([
    ['a name with a separator', { ...cookie, name: 'a=b' }],
    ['a value that would add attributes', { ...cookie, value: 'x; Domain=evil.example' }],
    ['a domain that is not a host name', { ...cookie, domain: 'evil.example; SameSite=None' }],
    ['a negative max age', { ...cookie, maxAgeSeconds: -1 }],
    ['a fractional max age', { ...cookie, maxAgeSeconds: 1.5 }],
    ['a flow binding for a path other than a callback', { ...cookie, callbackPath: '/graphql' }],
    ['a flow binding shared with subdomains', { ...cookie, domain: 'example.com', callbackPath: '/t/acme/callback' }],
  ])('refuses %s', (_label, request) => {
    expect(() => serializeSetCookie(request, { secure: true })).toThrow();
    expect(() => decodeCookieRequests(Buffer.from(JSON.stringify([request])).toString('base64url'))).toThrow();
  });

  it("binds a flow to the browser with a Lax cookie sent only to the tenant's callback", () => {
    const binding = { name: 'mfl_pfl_1', value: 'secret', domain: null, maxAgeSeconds: 600, callbackPath: '/t/acme/callback' };
    expect(decodeCookieRequests(encodeCookieRequests([binding]))).toEqual([binding]);
    expect(serializeSetCookie(binding, { secure: true })).toBe(
      'mfl_pfl_1=secret; Path=/t/acme/callback; Max-Age=600; HttpOnly; SameSite=Lax; Secure',
    );
  });

  it('refuses headers that are not an encoded short list', () => {
    expect(() => decodeCookieRequests('%%%')).toThrow();
    expect(() => decodeCookieRequests(Buffer.from('{"name":"x"}').toString('base64url'))).toThrow();
    expect(() => decodeCookieRequests(encodeCookieRequests(Array.from({ length: 5 }, () => cookie)))).toThrow();
  });

  it('parses a Cookie header: first of a repeated name wins, malformed pairs skipped, quotes removed', () => {
    const parsed = parseCookieHeader('a=1; =nameless; b="2"; a=3; junk; c=');
    expect([...parsed.entries()]).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['c', ''],
    ]);
    expect(parseCookieHeader(undefined).size).toBe(0);
  });
});
