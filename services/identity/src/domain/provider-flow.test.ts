import { isHostedPageReturn, returnLocation } from './provider-flow';

const ISSUER = 'https://id.example/t/acme';

describe('return URLs of upstream flows', () => {
  it('take an interaction of the tenant’s own hosted pages, and nothing that only looks like one', () => {
    expect(isHostedPageReturn(ISSUER, `${ISSUER}/interaction/AbC-12_x/provider-return`)).toBe(true);
    for (const other of [
      `https://id.example/t/other/interaction/AbC/provider-return`,
      `${ISSUER}/interaction//provider-return`,
      `${ISSUER}/interaction/a/b/provider-return`,
      `${ISSUER}/interaction/AbC/provider-return?x=1`,
      `${ISSUER}/interaction/AbC/code`,
      `${ISSUER}.evil.example/interaction/AbC/provider-return`,
    ]) {
      expect(isHostedPageReturn(ISSUER, other)).toBe(false);
    }
  });

  it('send the browser back with the flow and its outcome only', () => {
    expect(returnLocation(`${ISSUER}/interaction/AbC/provider-return`, 'pfl_1', 'SUCCEEDED')).toBe(
      `${ISSUER}/interaction/AbC/provider-return?flow=pfl_1&outcome=SUCCEEDED`,
    );
  });
});
