import { checkedReturnUrls } from './return-urls';

const development = { allowInsecureLoopback: true };
const production = { allowInsecureLoopback: false };

function refusal(urls: string[], options = production): unknown {
  try {
    checkedReturnUrls(urls, options);
  } catch (error) {
    return error;
  }
  throw new Error(`accepted ${JSON.stringify(urls)}`);
}

describe('allowed return URLs', () => {
  it('keeps absolute https URLs in the form the URL parser writes, trimmed and without duplicates', () => {
    expect(
      checkedReturnUrls(
        [' https://App.Example.com ', 'https://app.example.com:443/', 'https://app.example.com/auth/done?from=idp'],
        production,
      ),
    ).toEqual(['https://app.example.com/', 'https://app.example.com/auth/done?from=idp']);
    expect(checkedReturnUrls([], production)).toEqual([]);
  });

  it('admits http only on loopback hosts, and only outside production', () => {
    const loopback = ['http://127.0.0.1:3000/cb', 'http://[::1]:3000/cb', 'http://localhost:3000/cb'];
    expect(checkedReturnUrls(loopback, development)).toEqual(loopback);
    for (const url of loopback) {
      expect(refusal([url], production)).toMatchObject({ details: { field: 'allowedReturnUrls' } });
    }
    expect(refusal(['http://app.example.com/cb'], development)).toMatchObject({ details: { field: 'allowedReturnUrls' } });
    expect(refusal(['http://localhost.example.com/cb'], development)).toMatchObject({
      details: { field: 'allowedReturnUrls' },
    });
  });

  it.each<[string, string]>([
    ['a relative URL', '/auth/done'],
    ['no URL at all', 'not a url'],
    ['an empty string', '   '],
    ['another scheme', 'javascript:alert(1)'],
    ['a custom scheme', 'messngr://callback'],
    ['user info', 'https://user:pass@app.example.com/'],
    ['a user name alone', 'https://user@app.example.com/'],
    ['a fragment', 'https://app.example.com/#token'],
    ['an empty fragment', 'https://app.example.com/#'],
    ['more than 2000 characters', `https://app.example.com/${'a'.repeat(2000)}`],
  ])('refuses %s on allowedReturnUrls', (_label, url) => {
    const error = refusal(['https://fine.example.com/', url], development);
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'allowedReturnUrls' } });
    expect((error as Error).message).toMatch(/^allowedReturnUrls\[1\] /);
  });

  it('refuses a URL that the parser lengthens past 2000 characters', () => {
    const url = `https://app.example.com/${' '.repeat(1900)}x`;
    expect(url.length).toBeLessThanOrEqual(2000);
    expect(refusal([url])).toMatchObject({ details: { field: 'allowedReturnUrls' } });
  });

  it('refuses more than 20', () => {
    const urls = Array.from({ length: 21 }, (_, i) => `https://app.example.com/${i}`);
    expect(checkedReturnUrls(urls.slice(0, 20), production)).toHaveLength(20);
    expect(refusal(urls)).toMatchObject({ details: { field: 'allowedReturnUrls' } });
  });
});
