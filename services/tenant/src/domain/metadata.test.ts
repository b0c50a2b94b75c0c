import { checkedMetadata } from './metadata';

describe('tenant metadata', () => {
  it('keeps primitive values under short keys', () => {
    expect(checkedMetadata({ plan: 'pro', seats: 40, beta: true, note: null })).toEqual({
      plan: 'pro',
      seats: 40,
      beta: true,
      note: null,
    });
  });

  it.each([
    [[]],
    ['text'],
    [{ nested: { a: 1 } }],
    [{ 'bad key!': 1 }],
    [Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]))],
  ])('refuses %j', (value) => {
    expect(() => checkedMetadata(value)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', details: { field: 'metadata' } }),
    );
  });
});
