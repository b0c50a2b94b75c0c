import { decidePresentedCode, replacementCode, type LoginFlowFacts } from './login-flow';

const T0 = new Date('2026-12-01T10:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

function flow(overrides: Partial<LoginFlowFacts> = {}): LoginFlowFacts {
  return { state: 'CODE_SENT', expiresAt: at(30 * 60_000), code: replacementCode('hash', T0), ...overrides };
}

describe('presenting a code to a sign-in flow', () => {
  it('accepts the right code and completes the flow, counting the attempt', () => {
    const decision = decidePresentedCode(flow(), true, at(1_000));
    expect(decision).toEqual({
      outcome: { accepted: true },
      next: { state: 'COMPLETED', code: expect.objectContaining({ attempts: 1 }) },
      wrongGuess: false,
    });
  });

  it('refuses a wrong code, counts it, and counts it against the identifier', () => {
    const decision = decidePresentedCode(flow(), false, at(1_000));
    expect(decision).toMatchObject({
      outcome: { accepted: false, refusal: 'INVALID_CODE' },
      next: { state: 'CODE_SENT', code: { attempts: 1 } },
      wrongGuess: true,
    });
  });

  it('allows five attempts per code: the right code fifth works, sixth does not', () => {
    const fourWrong = flow({ code: { ...replacementCode('hash', T0), attempts: 4 } });
    expect(decidePresentedCode(fourWrong, true, at(1_000)).outcome).toEqual({ accepted: true });
    const fiveWrong = flow({ code: { ...replacementCode('hash', T0), attempts: 5 } });
    expect(decidePresentedCode(fiveWrong, true, at(1_000))).toEqual({
      outcome: { accepted: false, refusal: 'TOO_MANY_ATTEMPTS' },
      next: null,
      wrongGuess: false,
    });
    expect(decidePresentedCode(fiveWrong, false, at(1_000))).toMatchObject({ next: null, wrongGuess: false });
  });

  it('refuses a code after ten minutes and any code after the flow expired, by the clock, not by a stored state', () => {
    expect(decidePresentedCode(flow(), true, at(10 * 60_000)).outcome).toEqual({ accepted: false, refusal: 'FLOW_EXPIRED' });
    const newCodeLate = flow({ code: replacementCode('hash', at(25 * 60_000)) });
    expect(decidePresentedCode(newCodeLate, true, at(30 * 60_000)).outcome).toEqual({ accepted: false, refusal: 'FLOW_EXPIRED' });
    expect(decidePresentedCode(newCodeLate, true, at(29 * 60_000)).outcome).toEqual({ accepted: true });
  });

  it('is single use: a completed or failed flow refuses even the right code', () => {
    for (const state of ['COMPLETED', 'FAILED'] as const) {
      expect(decidePresentedCode(flow({ state }), true, at(1_000)).outcome).toEqual({ accepted: false, refusal: 'INVALID_CODE' });
    }
  });

  it('writes nothing for a refusal that does not depend on the code, and does not count it against the identifier', () => {
    const dead = flow({ code: { ...replacementCode('hash', T0), attempts: 5 } });
    for (const [facts, now] of [
      [dead, at(1_000)],
      [flow(), at(10 * 60_000)],
      [flow({ state: 'COMPLETED' }), at(1_000)],
    ] as const) {
      for (const right of [true, false])
        expect(decidePresentedCode(facts, right, now)).toMatchObject({ next: null, wrongGuess: false });
    }
  });

  it('gives a replacement code ten minutes and fresh attempts', () => {
    expect(replacementCode('new', at(5_000))).toEqual({
      hash: 'new',
      issuedAt: at(5_000),
      expiresAt: at(5_000 + 10 * 60_000),
      attempts: 0,
    });
  });
});
