import { isAllowedProviderUrl } from './provider-url';

describe('isAllowedProviderUrl', () => {
  it.each([
    ['https://idp.example.com', false, true],
    ['https://127.0.0.1:8443/realms/x', false, true],
    ['http://idp.example.com', true, false],
    ['http://127.0.0.1:8080', false, false],
    ['http://127.0.0.1:8080', true, true],
    ['http://127.1.2.3', true, true],
    ['http://127.1', true, true],
    ['http://localhost:3000/oidc', true, true],
    ['http://LOCALHOST', true, true],
    ['http://[::1]:8080', true, true],
    ['http://[::ffff:127.0.0.1]', true, false],
    ['http://128.0.0.1', true, false],
    ['http://localhost.example.com', true, false],
    ['http://127.0.0.1.example.com', true, false],
    ['http://10.0.0.1', true, false],
    ['ftp://idp.example.com', true, false],
    ['javascript:alert(1)', true, false],
    ['idp.example.com', true, false],
    ['', true, false],
  ])('%s (insecure loopback allowed: %s) → %s', (url, allowInsecureLoopback, expected) => {
    expect(isAllowedProviderUrl(url, allowInsecureLoopback)).toBe(expected);
  });
});
