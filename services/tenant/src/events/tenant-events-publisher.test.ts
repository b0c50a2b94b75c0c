import { fieldChanges } from './tenant-events-publisher';

describe('field changes', () => {
  it('reports what differs, secret fields only as changed', () => {
    expect(fieldChanges({ a: 1, b: 'x', s: 'old' }, { a: 2, b: 'x', s: 'new' }, ['s'])).toEqual({
      a: { before: 1, after: 2 },
      s: { changed: true },
    });
  });

  it('treats a field absent before (stored before it existed) and null after as unchanged', () => {
    const before: { a: number; hd?: string | null } = { a: 1 };
    expect(fieldChanges(before, { a: 1, hd: null })).toEqual({});
    expect(fieldChanges(before, { a: 1, hd: 'example.com' })).toEqual({ hd: { before: null, after: 'example.com' } });
  });
});
