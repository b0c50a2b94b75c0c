import { newId } from '@messngr/kit/core';
import { firstEventIdAt, idRange } from './event-id-bounds';

describe('time bounds as event id bounds', () => {
  const t = new Date('2026-11-23T10:00:00.000Z');

  it('sorts below every id of its millisecond and later, above every earlier one', () => {
    for (let i = 0; i < 50; i += 1) {
      expect(newId('evt', t.getTime()) >= firstEventIdAt(t)).toBe(true);
      expect(newId('evt', t.getTime() - 1) < firstEventIdAt(t)).toBe(true);
      expect(newId('evt', t.getTime() + 1) >= firstEventIdAt(t)).toBe(true);
    }
  });

  it('makes from inclusive and to inclusive, and keeps the tighter of to and the cursor', () => {
    const to = new Date(t.getTime() + 60_000);
    const range = idRange({ from: t, to });
    expect(range).toEqual({ $gte: firstEventIdAt(t), $lt: firstEventIdAt(new Date(to.getTime() + 1)) });
    const atTo = newId('evt', to.getTime());
    expect(atTo >= range.$gte! && atTo < range.$lt!).toBe(true);
    const cursor = newId('evt', t.getTime() + 1000);
    expect(idRange({ to, after: cursor })).toEqual({ $lt: cursor });
    expect(idRange({})).toEqual({});
  });
});
