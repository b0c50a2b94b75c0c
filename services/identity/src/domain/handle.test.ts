import { handleFromDisplayName, handleProblem } from './handle';

describe('handles', () => {
  it.each(['kari', 'kari.nordmann', 'k_9', 'abc'])('accepts %s', (handle) => {
    expect(handleProblem(handle)).toBeUndefined();
  });

  it.each(['ab', 'Kari', '.kari', 'kari.', 'ka..ri', 'kari nordmann', 'x'.repeat(31)])('refuses %s', (handle) => {
    expect(handleProblem(handle)).toBeDefined();
  });

  it('derives a valid handle from any display name', () => {
    expect(handleFromDisplayName('Kåri Nordmann', () => 4821)).toBe('kari.nordmann.4821');
    expect(handleFromDisplayName('李小龍', () => 1234)).toBe('user.1234');
    expect(handleProblem(handleFromDisplayName('  ---  '))).toBeUndefined();
  });
});
