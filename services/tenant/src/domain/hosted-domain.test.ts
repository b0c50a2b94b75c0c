import { hostedDomainProblem, normalizedHostedDomain } from './hosted-domain';

describe('a required hosted domain', () => {
  it('is stored trimmed and lower-cased; empty is none', () => {
    expect(normalizedHostedDomain(' Example.COM ')).toBe('example.com');
    expect(normalizedHostedDomain('')).toBeNull();
    expect(normalizedHostedDomain('   ')).toBeNull();
    expect(normalizedHostedDomain(null)).toBeNull();
  });

  it.each([
    'example.com',
    'corp.example.co.uk',
    'xn--bcher-kva.example',
    'a-b.example',
    '1password.com',
    `${'a'.repeat(63)}.com`,
  ])('accepts %s', (domain) => {
    expect(hostedDomainProblem(domain)).toBeUndefined();
  });

  it.each([
    ['a single label', 'localhost'],
    ['a trailing dot', 'example.com.'],
    ['an empty label', 'example..com'],
    ['a leading hyphen', '-example.com'],
    ['a trailing hyphen', 'example-.com'],
    ['an underscore', 'ex_ample.com'],
    ['a space', 'example .com'],
    ['a scheme', 'https://example.com'],
    ['a path', 'example.com/x'],
    ['an email address', 'someone@example.com'],
    ['a port', 'example.com:443'],
    ['a wildcard', '*.example.com'],
    ['a U-label', 'bücher.example'],
    ['an IP address', '192.168.0.1'],
    ['a label over 63 characters', `${'a'.repeat(64)}.com`],
    ['over 253 characters', `${'a'.repeat(60)}.`.repeat(5) + 'com'],
  ])('refuses %s', (_label, domain) => {
    expect(hostedDomainProblem(domain)).toEqual(expect.any(String));
  });
});
