import { lagOf } from './consumer-lag';

describe('lagOf', () => {
  it('sums the high watermark minus the committed offset over the partitions', () => {
    const ends = [
      { partition: 0, low: '0', high: '120' },
      { partition: 1, low: '0', high: '40' },
    ];
    expect(
      lagOf(ends, [
        { partition: 0, offset: '100' },
        { partition: 1, offset: '40' },
      ]),
    ).toBe(20);
  });

  it('counts from the low watermark where the group has committed nothing (-1) or knows no partition', () => {
    expect(lagOf([{ partition: 0, low: '10', high: '25' }], [{ partition: 0, offset: '-1' }])).toBe(15);
    expect(lagOf([{ partition: 3, low: '5', high: '7' }], [])).toBe(2);
  });

  it('is never negative, whatever order the two readings came back in', () => {
    expect(lagOf([{ partition: 0, low: '0', high: '9' }], [{ partition: 0, offset: '12' }])).toBe(0);
  });
});
