import { decodeCursor, encodeCursor, pageRequest, toPage } from './cursor-page';

describe('cursor pages', () => {
  it('round-trips cursors and reports whether more follow', () => {
    const page = toPage(['a', 'b', 'c'], 2, (item) => item);
    expect(page.edges.map((edge) => edge.node)).toEqual(['a', 'b']);
    expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeCursor('b') });
    expect(decodeCursor(page.pageInfo.endCursor!)).toBe('b');
  });

  it('refuses sizes out of range and foreign cursors with BAD_USER_INPUT', () => {
    expect(() => pageRequest(0, null)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(() => pageRequest(101, null)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(() => pageRequest(10, 'bm9wZQ')).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
});
